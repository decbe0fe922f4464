"""Faker with the locales `ppda-tracker demo` uses, not all ~110 of them (replaces the contrib hook).

Faker finds its providers and locales when frozen by globbing `faker/providers/**/__init__.py`
under the bundle root (faker.utils.loading.list_module), so those files go in as data as well as
being compiled into the archive.
"""

from PyInstaller import isolated
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

# app/services/demo/people.py: Faker("en_GB") and Faker("en_IN"); providers without them fall
# back to their default locale (en_US, or la for lorem) and some en_* modules import from en.
WANTED = {"en_GB", "en_IN", "en_US", "en"}


@isolated.decorate
def _locales() -> tuple[list[str], list[str]]:
    import importlib

    import faker.config

    defaults = set()
    for path in faker.config.PROVIDERS:
        module = importlib.import_module(path)
        if getattr(module, "localized", False):
            defaults.add(getattr(module, "default_locale", "") or faker.config.DEFAULT_LOCALE)
    return sorted(faker.config.AVAILABLE_LOCALES), sorted(defaults)


_available, _defaults = _locales()
UNUSED = set(_available) - WANTED - set(_defaults)


def _kept(name: str) -> bool:
    parts = name.replace("\\", "/").replace("/", ".").split(".")
    # faker.providers.<provider>.<locale>...: drop the locales nobody asks for
    return not (len(parts) > 3 and parts[0] == "faker" and parts[1] == "providers" and parts[3] in UNUSED)


hiddenimports = collect_submodules("faker.providers", filter=_kept)
datas = [
    (src, dest)
    for src, dest in collect_data_files("faker.providers", include_py_files=True, includes=["**/__init__.py"])
    if _kept(dest)
]
