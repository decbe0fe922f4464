; Inno Setup 6.3+ script: a per-machine installer for the one-folder bundle dist\ppda-tracker.
;
; Build the bundle first (bash installer/build on Windows, from Git Bash; it runs this script too
; when ISCC.exe is found), or compile by hand from the repository root:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" installer\windows\ppda-tracker.iss
; giving dist\installer\ppda-tracker-setup-<version>.exe.
;
; Silent install (as an administrator, e.g. from SCCM/Intune; exit status 0 on success):
;   ppda-tracker-setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /LOG="%TEMP%\ppda-setup.log"
;       [/DBURL="postgresql+psycopg://ppda_app@psd-db.force.local/psd?sslmode=verify-full"]
;       [/DATADIR="D:\PPDA"] [/TASKS="desktopicon"] [/DIR="D:\Programs\PPDA Tracker"]
; /DBURL and /DATADIR write db_url and data_dir into %PROGRAMDATA%\PPDA Tracker\settings.ini (the
; central settings file); without them an existing file is left as it is. Silent uninstall:
;   "C:\Program Files\PPDA Tracker\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; The central settings file is kept on uninstall (an upgrade must not lose it).

#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\..\dist\ppda-tracker"
#endif
#ifndef AppVersion
  ; the version resource the spec wrote from app.__version__
  #define AppVersion GetStringFileInfo(BundleDir + "\ppda-tracker.exe", "ProductVersion")
#endif
#ifndef Compression
  ; installer/windows-check passes /DCompression=lzma2/fast (a test build, quicker to compile)
  #define Compression "lzma2/max"
#endif
#define AppName "PPDA Tracker"
#define AppExe "ppda-tracker.exe"
#define CliExe "ppda-tracker-cli.exe"
#define SettingsDir "{commonappdata}\PPDA Tracker"

[Setup]
; The AppId identifies the product across versions: never change it (upgrades install over it).
AppId={{70FBE4A3-5BF9-4BAC-B92A-D6A86B081014}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=PPDA Tracker
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
; Per machine: Program Files, the common Start menu, HKLM; administrators only.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; Upgrades: close a running copy through the Restart Manager, never reboot.
CloseApplications=yes
RestartApplications=no
SetupLogging=yes
OutputDir=..\..\dist\installer
OutputBaseFilename=ppda-tracker-setup-{#AppVersion}
Compression={#Compression}
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program folder's contents: modules dropped by a new version must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Dirs]
Name: "{#SettingsDir}"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The central settings file: a commented template the first time, never overwritten or uninstalled.
Source: "settings.ini"; DestDir: "{#SettingsDir}"; Flags: onlyifdoesntexist uninsneveruninstall

[INI]
Filename: "{#SettingsDir}\settings.ini"; Section: "ppda-tracker"; Key: "db_url"; String: "{param:DBURL}"; Check: HasParam('DBURL')
Filename: "{#SettingsDir}\settings.ini"; Section: "ppda-tracker"; Key: "data_dir"; String: "{param:DATADIR}"; Check: HasParam('DATADIR')

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Case tracking for police-perpetrated domestic abuse allegations"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ /NAME=value on the setup command line (case-insensitive). }
function HasParam(Name: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if Pos('/' + Uppercase(Name) + '=', Uppercase(ParamStr(I))) = 1 then
      Result := True;
end;

{ A database URL must not carry a password: user:password@host or ?password=. }
function UrlHasPassword(Url: String): Boolean;
var
  Authority: String;
  Cut: Integer;
begin
  Result := Pos('password=', Lowercase(Url)) > 0;
  Cut := Pos('://', Url);
  if Cut = 0 then
    Exit;
  Authority := Copy(Url, Cut + 3, Length(Url));
  Cut := Pos('@', Authority);
  if Cut > 0 then
    Result := Result or (Pos(':', Copy(Authority, 1, Cut - 1)) > 0);
end;

function InitializeSetup(): Boolean;
begin
  Result := True;
  if HasParam('DBURL') and UrlHasPassword(ExpandConstant('{param:DBURL}')) then
  begin
    SuppressibleMsgBox('The /DBURL given contains a password. Secrets are never written to the ' +
      'central settings file: give the URL without it and keep the password in each user''s ' +
      'Windows Credential Manager, or use Windows sign-on. Nothing was installed.',
      mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;
