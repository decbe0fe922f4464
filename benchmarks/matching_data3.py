"""Generator 3: a workforce register and a PND-style notice extract, written blind (issue 14, item 3).

Written without reading the matching engine or generators 1 and 2, from published descriptions of how
real administrative records about the same person disagree, so that the engine is measured on data it
was not tuned on. Deterministic by seed (one ``random.Random``; no iteration over sets)::

    python benchmarks/matching_data3.py write FOLDER --people 20000 --notices 200000 --seed 3
    python benchmarks/matching_data3.py analyse FOLDER      # after matching_commands.py --folder FOLDER

``write`` makes, in FOLDER, ``workforce.csv`` and ``pnd-extract.csv`` (the columns
benchmarks/matching_commands.py ``write_files`` writes; FORMATS.md), ``truth.csv`` ("PND|notice_id"
→ staff_number) and ``truth-classes.csv`` (per notice: what kind of person it is about, the member it
is about or is a look-alike of, and every error class applied). ``analyse`` groups the match report's
false automatic matches and missed true notices by those classes.

Model. Each person has a true identity (sex, forenames, surname, surname at birth, date of birth,
origin); the register and the notice are two independent *recordings* of it, the notice's much the
noisier (police intelligence is often recorded from what a person says at the roadside or in custody).

Sources that informed the model and the rates (rates are per notice unless said; a class is applied
independently of the others, so a notice can carry several):

* Names (frequencies). Surname shares from the England and Wales comparative tables of
  surnamestudies.org.uk (Registrar General 1853 to the 1996 electoral register: Smith 1.2–1.4 %,
  Jones 0.9–1.1 %, Williams 0.6–0.7 %, Taylor/Brown ~0.6 %, the top 100 about a fifth of people),
  a long tail of rarer British names (Zipf-weighted), and the ONS finding that Patel entered the
  top 40 by 1998. Origins from Census 2021 (England and Wales): White British ~74 %, Asian 9.3 %,
  Black 4 %, White other 6.2 %; the register of a northern force is less diverse (national police
  workforce ~8 % minority ethnic). Pools: British (with Welsh, Scottish Mc/Mac and Irish O'),
  Pakistani/Bangladeshi (Mohammed/Muhammad as a first name, known by the second name), Indian Sikh
  and Hindu (Singh/Kaur beside a family name), Nigerian/Ghanaian/Somali, Polish (diacritics,
  feminine -ska), Chinese. 2 % of surnames are hyphenated or double-barrelled.
* Nicknames and short forms (Bob/Robert, Kate/Catherine, Seun/Oluwaseun, Kasia/Katarzyna) and
  anglicised forms (Piotr→Peter): the ABS Post Enumeration Survey standardises Beth/Eliza/Libby to
  Elizabeth because such forms are common between two collections. NICKNAME 12 % of notices whose
  first forename has a short form; ANGLICISED 15 % of Polish names with an English equivalent.
* Word order (Christen, "Single error analysis of string comparison methods": swapped words are the
  hardest error for string comparators): KNOWN_BY_MIDDLE 5 % of people with a middle name, 40 %
  when the first forename is Mohammed/Muhammad (the notice gives the middle names only: Mohammed
  Imran → Imran); SURNAME_FORENAME_SWAPPED 1.5 % (5 % for
  names not of British origin); MIDDLE_DROPPED 35 %, MIDDLE_INITIAL 8 % of people with a middle name.
* Transliteration (Mohammed/Muhammad/Mohamed, Chaudhry/Choudhury): TRANSLITERATED 50 % of names with
  variants; DIACRITICS_STRIPPED 85 % of names with diacritics (PND is effectively ASCII).
  Harron et al. 2017 (BMC Med Res Methodol 17:23) and Hagger-Johnson et al. 2015 (BMJ Open):
  identifier errors and missed matches differ by ethnic group, so these classes land unevenly.
* Surname change on marriage or divorce: ~40 % of women members took a new surname; the register holds
  the current one (92 %; 8 % not yet updated) and the other in previous_names in 60 % of changes; the
  notice carries the birth surname in 30 % of notices about such women (SURNAME_CHANGED_PREV_HELD /
  SURNAME_CHANGED_NOT_HELD). HYPHEN_PART 40 % and HYPHEN_SPACE 25 % of hyphenated surnames;
  APOSTROPHE (O'Neill→ONeill/O Neill) 45 %, MC_MAC (McDonald↔MacDonald, Mc Donald) 20 % of such;
  SINGH_KAUR 40 % of Sikh names with a family surname (notice holds Singh/Kaur).
* Typing and transcription (Damerau 1964: >80 % of misspellings are one insertion, omission,
  substitution or transposition; Pollock & Zamora 1983: 90–95 % of misspellings have one error,
  omission the commonest, doubled letters the commonest insertion): SURNAME_TYPO 4 %, FORENAME_TYPO 4 %
  (omission 35 %, QWERTY-neighbour substitution 30 %, doubled letter 15 %, adjacent transposition 20 %;
  one in eight get a second error), PHONETIC 2.5 % (Stephens/Stevens, Thompson/Thomson, ph/f, ck/k,
  -ey/-ie), OCR 0.5 % (rn/m, cl/d, li/h, I/l). Upper case in 55 % of notices (a PND habit; not an error).
* Dates of birth. Luo et al. 2014 (BMC Bioinformatics 15:185): 1.5 % of birthdates wrong in a public
  health data set, 2 % of admissions with a wrong name or birthdate; police records are noisier
  (self-reported), so: DOB_MISSING 4 %, DOB_YEAR_ONLY 1.5 %, DOB_DAY_MONTH_SWAP 2 % (also what a
  US-format entry does), DOB_DIGIT_SLIP 2 %, DOB_JAN_1 1 % (day and month unknown), DOB_DAY_1 0.5 %,
  DOB_YEAR_OFF_BY_ONE 1 % (age estimated), DOB_YEAR_DIGITS_SWAPPED 0.5 % (1985→1958, kept only if
  plausible), DOB_WRONG 1 % (another date within ten years); REGISTER_DOB_ERROR 0.3 % of members
  (Harron et al. 2017 found 0.11 % DOB/sex disagreement between two NHS systems).
* Identifiers. A PND record rarely carries payroll or collar numbers: notices about members hold the
  staff number in 8 % and the warrant number in 8 %, each mistyped in 4 % of those (STAFF_NUMBER_TYPO /
  WARRANT_NUMBER_TYPO: one digit changed, which can be another member's number); employing force home
  30 %, another force 8 % (EMPLOYING_FORCE_OTHER: previous force or a guess), blank otherwise.
  ALIAS 1 % of notices about members (a false name given; the date of birth is kept).
* Hard non-matches (ONS Census 2021 linkage methods: 99.96 % precision needed clerical review of the
  near misses; CHeReL aims at 5 false links per 1,000): RELATIVE 0.35 % of notices — SPOUSE (the
  member's partner, same surname, DOB within six years; in a domestic-abuse system the partner is the
  person most likely to be on PND), SIBLING (same surname, 1–12 years apart), TWIN (same surname and
  DOB, a different forename, 30 % with the same initial), PARENT_CHILD_SAME_NAME (father/son or
  mother/daughter with the same first forename, 20–35 years apart; "Jnr" is not used), COUSIN_SAME_NAME;
  NAMESAKE 0.25 % (same first forename and surname as a member with one of the commonest surnames —
  namesakes born near are implausible for rare ones — born near: same day and month 1–3 years apart
  22 %, 1–3 years apart 40 %, within 60 days 23 %, on the swapped day/month 12 % when the day is 12 or
  less (about 5 % in all; otherwise within 60 days), the very same date with another middle name 3 %);
  OTHER_FORCE_OFFICER 0.6 % (an officer or staff member of another force with that force's staff and
  warrant numbers, drawn from the same small number ranges as the home force's, so numbers collide).
  Inside the register: 1.5 % of members are married couples who both serve and 0.3 % are parent and
  child with the same first forename.
* True notices: 1.0 % of notices, about ~5 % of members, some with several notices. The 2023 national
  PND check referred 461 of 307,452 people (DOMAIN.md §4); an extract sent for a data wash is broader
  (intelligence, victims, witnesses), hence 1 %.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import random
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO


def words(text: str) -> list[str]:
    return text.split()


HOME = "north-yorkshire"
TODAY = date(2026, 12, 1)  # no date of birth after this (files are valid whatever the clock says)
OTHER_FORCES = ["avon-and-somerset", "bedfordshire", "cambridgeshire", "cheshire", "cleveland", "cumbria",
                "derbyshire", "devon-and-cornwall", "dorset", "durham", "essex", "gloucestershire",
                "greater-manchester", "hampshire-and-isle-of-wight", "hertfordshire", "humberside", "kent",
                "lancashire", "leicestershire", "lincolnshire", "merseyside", "metropolitan", "norfolk",
                "northamptonshire", "nottinghamshire", "south-yorkshire", "staffordshire", "suffolk", "surrey",
                "sussex", "thames-valley", "warwickshire", "west-midlands", "west-yorkshire", "wiltshire",
                "dyfed-powys"]
RECORD_TYPES = [("INTELLIGENCE", 55.0), ("CRIME", 15.0), ("CUSTODY", 12.0), ("DOMESTIC_ABUSE_INCIDENT", 12.0),
                ("CHILD_PROTECTION", 6.0)]

# ---- name pools ---------------------------------------------------------------------------------------
# British surnames with their share of the population in per cent (surnamestudies.org.uk, 1984–97 column,
# rounded); the rest of the British mass goes to a Zipf-weighted tail.
BRITISH_TOP = """Smith 1.33 Jones 0.99 Williams 0.68 Taylor 0.59 Brown 0.62 Davies 0.51 Evans 0.43 Thomas 0.39
Wilson 0.44 Roberts 0.36 Johnson 0.32 Robinson 0.29 Wright 0.31 Thompson 0.29 Walker 0.29 White 0.32
Edwards 0.29 Green 0.27 Hall 0.29 Wood 0.28 Harris 0.28 Hughes 0.28 Lewis 0.27 Martin 0.26 Jackson 0.25
Clarke 0.24 Clark 0.18 Turner 0.24 Hill 0.23 Scott 0.22 Cooper 0.22 Morris 0.22 Ward 0.21 Moore 0.21
King 0.21 Watson 0.2 Baker 0.2 Harrison 0.2 Morgan 0.2 Patel 0.19 Young 0.19 Allen 0.18 Mitchell 0.18
James 0.18 Anderson 0.18 Phillips 0.17 Lee 0.17 Bell 0.17 Parker 0.17 Davis 0.16 Kelly 0.16 Bennett 0.15
Griffiths 0.15 Cook 0.15 Price 0.14 Shaw 0.14 Richardson 0.14 Marshall 0.14 Lloyd 0.14 Cox 0.13 Mills 0.13
Hunt 0.13 Simpson 0.13 Murphy 0.13 Stevens 0.12 Stephens 0.06 Ellis 0.12 Khan 0.12 Webb 0.12 Collins 0.12
Murray 0.12 Palmer 0.12 Matthews 0.12 Gray 0.11 Grey 0.03 Holmes 0.11 Campbell 0.11 Rogers 0.11 Barnes 0.11
Knight 0.11 Butler 0.11 Chapman 0.11 Fisher 0.1 Mason 0.1 Russell 0.1 Pearson 0.1 Stewart 0.1 Owen 0.1
Reynolds 0.1 Harvey 0.1 Graham 0.1 Ross 0.09 Jenkins 0.09 Hamilton 0.09 Hudson 0.09 Atkinson 0.09
Thomson 0.06 Phillips 0.05 Philips 0.02 Macdonald 0.06 McDonald 0.06 MacDonald 0.03 McCarthy 0.04
McKenzie 0.03 Mackenzie 0.03 McLeod 0.02 MacLeod 0.02 O'Neill 0.05 O'Brien 0.05 O'Connor 0.04 O'Sullivan 0.03
O'Donnell 0.02 Byrne 0.05 Doyle 0.04 Gallagher 0.04 Quinn 0.03 Kennedy 0.05 Fletcher 0.06 Hodgson 0.05
Dawson 0.06 Sutcliffe 0.03 Ackroyd 0.01 Greenwood 0.05 Lister 0.03 Metcalfe 0.04 Hebden 0.01 Lumb 0.01
Pickles 0.01 Barraclough 0.01 Oldroyd 0.01 Priestley 0.02 Thackray 0.01 Wainwright 0.02"""
# further real surnames, each about 0.02–0.08 % (ranks ~150–400 of the same tables), weighted by position
BRITISH_MORE = words("""Rose Marsh Kerr Holland Andrews Hunter Payne Powell Watts Dixon Hart Woods Saunders Lane
Fox Burton Porter Nicholson Gibson Barker Lawrence Hayes Mcdonald Brooks Wells Harper Ali Spencer Ryan Elliott
Sharp Jordan Richards Reid Jenkins Parry Fraser Adams Gordon Carter Dean Johnston Hussain Bailey Gardner Stone
Webster Cole Day Moss Lowe Howard Pearce Black Newman Morrison Kaur Francis Holt Yates Pritchard Rhodes Chambers
Hardy Cunningham Sullivan Duncan Bradley Sanders Foster Barrett Ball Armstrong Burns Kirby Bird Armitage Walsh
Crawford Nash Norris Gill Page Thornton Hodgson Gregory Booth Chadwick Bolton Jarvis Haigh Sykes Brook Hirst
Whitaker Moorhouse Binns Crossley Firth Illingworth Lord Naylor Rushworth Sugden Tordoff Dobson Bower Raistrick
Blakey Emmott Horsfall Learoyd Mawson Nutter Rawnsley Shackleton Speight Stansfield Sunderland Whiteley Wilkinson
Ingham Holden Hargreaves Crabtree Pollard Hanson Kitson Beaumont Broadbent Ramsden Midgley Pickering Harrop""")
TAIL_HEADS = words("Ash Black Brad Brom Cal Dun Fair Gold Hard Hay Holl Kirk Lang Mark Mid Mor North Oak Pen Ray Red "
              "Rock Sand Shel Ship South Stan Stock Thorn Wake West Whit Wind Win Brook Cole Crans Bar Bels Chad "
              "Dal Gar Hart Ingle Ack Bick Bram Brig Burn Carl Chal Dent Ever Fen Fox Glad Hals Hep Hut Kel Led "
              "Lin Mal Nor Pick Rams Rid Scar Sel Skel Tad Thirl Town Wal War Wel Wes Wig Will York")
TAIL_TAILS = words("worth ley ton field ford by wood ham well more combe dale son er man bury hurst wick stone croft "
              "gate shaw thwaite den land cott bridge borough stead house")

BRITISH_MALE_OLD = words("David John Michael Paul Andrew Mark Peter Stephen Richard Robert Christopher Ian Simon Gary "
                    "Anthony Steven Kevin Martin Neil Jonathan James Philip Nicholas Darren Stuart Timothy Graham "
                    "Lee Craig Jason Matthew William Alan Colin Keith Carl Dean Shaun Sean Wayne Edward Thomas "
                    "Kenneth Patrick Gareth Dylan Rhys Alexander Duncan Alistair")
BRITISH_MALE_NEW = words("Daniel Thomas James Matthew Christopher Adam Michael David Ben Benjamin Jack Joshua Luke "
                    "Ryan Samuel Liam Jordan Callum Jamie Nathan Alexander Oliver Harry Lewis Connor Kieran Scott "
                    "Joseph Jake Jacob William George Aaron Bradley Owen Dominic Tom Sam Joe Robert Andrew Mark "
                    "Dylan Rhys Ethan Charlie Alfie")
BRITISH_FEMALE_OLD = words("Sarah Claire Emma Nicola Lisa Michelle Karen Helen Julie Rachel Joanne Amanda Louise "
                      "Samantha Susan Catherine Katherine Elizabeth Jennifer Deborah Tracy Tracey Angela Alison "
                      "Jacqueline Kelly Victoria Rebecca Caroline Donna Dawn Gillian Jane Margaret Christine Patricia "
                      "Kerry Natalie Zoe Wendy Sharon Carol Ann Anne Sian Bethan Fiona Kirsty")
BRITISH_FEMALE_NEW = words("Laura Amy Emma Rebecca Sophie Hannah Jessica Charlotte Lauren Chloe Gemma Katie Stacey "
                      "Danielle Jade Kirsty Rachel Sarah Victoria Natalie Amber Megan Holly Bethany Abigail Ellie "
                      "Georgia Leah Shannon Olivia Emily Lucy Alice Grace Eleanor Jennifer Samantha Alexandra "
                      "Catherine Katherine Elizabeth Zoe Kayleigh Naomi Harriet Molly Eve")
MIDDLE_MALE = words("John James David Michael Paul Robert William Thomas Edward Anthony Peter Alan Lee Charles Richard "
               "George Andrew Stephen Mark Joseph Christopher Daniel Ian Francis Henry Alexander Owen Arthur")
MIDDLE_FEMALE = words("Louise Jane Marie Elizabeth Anne Ann Victoria Claire Emma Mary Jayne Michelle Rose Catherine "
                 "Frances Lucy Grace May Hannah Charlotte Alice Margaret Kate Nicole Leigh")

ORIGINS: dict[str, dict[str, list[str]]] = {
    "pakistani_bangladeshi": {
        "surnames": words("Khan Ahmed Hussain Ali Akhtar Iqbal Mahmood Rahman Chaudhry Malik Butt Shah Bibi Begum Aziz "
                     "Rashid Hussein Uddin Miah Islam Raza Javed Saleem Anwar Qureshi Mirza Sheikh Yousaf Sadiq "
                     "Latif Nawaz Hanif Younis Riaz Zaman"),
        "male": words("Mohammed Muhammad Imran Asif Tariq Amir Zahid Sajid Kamran Adnan Faisal Bilal Usman Hamza "
                 "Zubair Naveed Shahid Abdul Rizwan Arif Omar Yasir Haroon Ibrahim Ismail Aamir Junaid Shoaib"),
        "female": words("Fatima Ayesha Nadia Samina Shazia Amna Sana Hina Rubina Nasreen Farah Saima Zainab Maryam "
                   "Sadia Shabana Rukhsana Aisha Noreen Iram Bushra Mehreen Sumaira"),
        "middle_male": words("Mohammed Muhammad Ali Abdul Imran Nadeem Ahmed Hussain Iqbal Rafiq Shafiq"),
        "middle_female": words("Bibi Begum Akhtar Sultana Nasreen Kausar Parveen"),
    },
    "indian": {
        "surnames": words("Singh Kaur Patel Sharma Gill Sandhu Sidhu Dhillon Johal Bains Virdi Sahota Mistry Shah "
                     "Mehta Joshi Kumar Gupta Parmar Chauhan Solanki Lad Desai Pandya Rai Grewal Atwal Bhatti"),
        "male": words("Harpreet Gurpreet Jaspreet Manpreet Sukhdeep Rajinder Sukhwinder Jaswinder Amrik Kuldip Rajesh "
                 "Sanjay Anil Vijay Nitin Rakesh Suresh Ravi Amit Vikram Arjun Rohan Deepak Dinesh Sunil"),
        "female": words("Harpreet Gurpreet Jaspreet Manpreet Sukhdeep Rajinder Kiran Priya Pooja Neha Anjali Sunita "
                   "Kavita Asha Meena Nisha Ritu Simran Amrit Jasvir Parminder Hardeep Baljit"),
        "middle_male": words("Singh Kumar Lal Chand Prakash"),
        "middle_female": words("Kaur Devi Kumari Ben"),
    },
    "african": {
        "surnames": words("Okafor Adeyemi Okonkwo Adebayo Eze Nwosu Ogunleye Balogun Olawale Adeleke Okoro Ibrahim "
                     "Mensah Owusu Boateng Asante Osei Appiah Mohamed Abdi Hassan Farah Warsame Ali Omar Adeola "
                     "Oyelaran Chukwu Obi Nnamdi Onyeka Afolabi Akinola Babatunde Kamara Bangura"),
        "male": words("Oluwaseun Chinedu Emeka Adebayo Olumide Babatunde Kwame Kofi Kwabena Yaw Samuel Emmanuel "
                 "Daniel David Michael Joseph Abdi Mohamed Ahmed Hassan Abdullahi Ifeanyi Tunde Segun Femi "
                 "Chukwuemeka Obinna Godwin Blessing Ibrahim"),
        "female": words("Ngozi Chioma Funmilayo Folake Adaeze Abena Ama Akosua Grace Blessing Esther Mercy Patience "
                   "Faith Joy Deborah Comfort Amina Hodan Fadumo Ayaan Nimco Oluwatoyin Temitope Yetunde "
                   "Adaobi Chiamaka Precious"),
        "middle_male": words("Oluwaseun Chukwudi Adewale Olusegun Kwesi Ikechukwu Ayodele Emmanuel"),
        "middle_female": words("Oluwakemi Adunni Chinwe Efua Ifeoma Omolara Abimbola Grace"),
    },
    "polish": {
        "surnames": words("Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
                     "Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski "
                     "Nowakowski Pawłowski Michalski Król Wieczorek Jabłoński Wróbel Majewski Olszewski"),
        "male": words("Piotr Krzysztof Tomasz Paweł Marcin Michał Łukasz Jakub Grzegorz Andrzej Wojciech Mateusz "
                 "Adam Marek Dariusz Kamil Bartosz Sebastian Rafał Jan Maciej Szymon"),
        "female": words("Anna Katarzyna Magdalena Agnieszka Małgorzata Joanna Monika Aleksandra Natalia Ewa Karolina "
                   "Justyna Paulina Marta Dorota Beata Weronika Zofia Barbara"),
        "middle_male": words("Jan Józef Stanisław Andrzej Piotr"),
        "middle_female": words("Maria Anna Zofia Ewa"),
    },
    "chinese": {
        "surnames": words("Wong Chan Li Lee Zhang Wang Liu Chen Yang Huang Cheung Lam Ng Ho Lau Tang Zhou Wu Xu Lin"),
        "male": words("Wei Jun Hao Ming Jian Tao Lei Kevin Jason Michael Chun Kwok Ka Yi Bo Qiang"),
        "female": words("Mei Li Xiu Ying Hui Jing Yan Lily Grace Jenny Fang Ling Xin Ting Wing"),
        "middle_male": words("Wai Kin Man Ho"),
        "middle_female": words("Yee Man Ling Wai"),
    },
}
# share of notices (national population) and of the register (a northern force), Census 2021 informed
ORIGIN_SHARE_NOTICES = [("british", 0.80), ("pakistani_bangladeshi", 0.055), ("indian", 0.035),
                        ("african", 0.035), ("polish", 0.055), ("chinese", 0.02)]
ORIGIN_SHARE_REGISTER = [("british", 0.915), ("pakistani_bangladeshi", 0.03), ("indian", 0.02),
                         ("african", 0.012), ("polish", 0.016), ("chinese", 0.007)]

NICKNAMES = {
    "Robert": ["Bob", "Rob", "Robbie", "Bobby"], "William": ["Bill", "Will", "Billy", "Liam"],
    "Richard": ["Rick", "Richie", "Dick"], "James": ["Jim", "Jimmy", "Jamie"], "Michael": ["Mike", "Mick", "Micky"],
    "Christopher": ["Chris", "Kit"], "Anthony": ["Tony", "Ant"], "Stephen": ["Steve"], "Steven": ["Steve"],
    "Thomas": ["Tom", "Tommy"], "Daniel": ["Dan", "Danny"], "Matthew": ["Matt"], "Andrew": ["Andy", "Drew"],
    "Jonathan": ["Jon", "Jonny"], "Benjamin": ["Ben"], "Samuel": ["Sam", "Sammy"], "Joseph": ["Joe", "Joey"],
    "Edward": ["Ed", "Eddie", "Ted"], "David": ["Dave", "Davy"], "Peter": ["Pete"], "Alexander": ["Alex", "Sandy"],
    "Nicholas": ["Nick", "Nicky"], "Timothy": ["Tim"], "Patrick": ["Pat", "Paddy"], "Kenneth": ["Ken", "Kenny"],
    "Philip": ["Phil"], "Jacob": ["Jake"], "Nathan": ["Nate"], "Oliver": ["Ollie"], "Harry": ["Hal"],
    "Gareth": ["Gaz"], "Gary": ["Gaz"], "Callum": ["Cal"], "Dominic": ["Dom"], "Alistair": ["Ali"],
    "Catherine": ["Kate", "Cathy", "Kath", "Katie"], "Katherine": ["Kate", "Kathy", "Katie", "Kath"],
    "Elizabeth": ["Liz", "Beth", "Lizzie", "Libby", "Betty"], "Margaret": ["Maggie", "Peggy", "Meg"],
    "Rebecca": ["Becky", "Becca"], "Jennifer": ["Jen", "Jenny"], "Victoria": ["Vicky", "Tori"],
    "Samantha": ["Sam", "Sammy"], "Alexandra": ["Alex", "Lexi"], "Deborah": ["Debbie", "Debs"],
    "Susan": ["Sue", "Susie"], "Jessica": ["Jess"], "Charlotte": ["Charlie", "Lottie"], "Abigail": ["Abi", "Abby"],
    "Nicola": ["Nicky", "Nikki"], "Christine": ["Chris", "Chrissie"], "Patricia": ["Pat", "Trish"],
    "Jacqueline": ["Jackie"], "Amanda": ["Mandy"], "Joanne": ["Jo"], "Eleanor": ["Ellie", "Nell"],
    "Gillian": ["Jill", "Gill"], "Natalie": ["Nat"], "Danielle": ["Dani"], "Stacey": ["Stace"],
    "Mohammed": ["Mo"], "Muhammad": ["Mo"], "Oluwaseun": ["Seun"], "Babatunde": ["Tunde"], "Adebayo": ["Bayo"],
    "Olumide": ["Mide"], "Chukwuemeka": ["Emeka"], "Oluwatoyin": ["Toyin"], "Temitope": ["Tope"],
    "Katarzyna": ["Kasia"], "Małgorzata": ["Gosia"], "Agnieszka": ["Aga"], "Aleksandra": ["Ola"],
    "Wojciech": ["Wojtek"], "Grzegorz": ["Greg"], "Krzysztof": ["Krzys"], "Harpreet": ["Harry"],
    "Gurpreet": ["Gary"], "Rajinder": ["Raj"], "Jaswinder": ["Jas"], "Sukhwinder": ["Sukhi"],
}
ANGLICISED = {"Piotr": "Peter", "Krzysztof": "Christopher", "Tomasz": "Thomas", "Paweł": "Paul", "Michał": "Michael",
              "Łukasz": "Luke", "Jakub": "Jacob", "Grzegorz": "Gregory", "Andrzej": "Andrew", "Wojciech": "Albert",
              "Mateusz": "Matthew", "Marek": "Mark", "Jan": "John", "Szymon": "Simon", "Katarzyna": "Kate",
              "Małgorzata": "Margaret", "Agnieszka": "Agnes", "Joanna": "Joanne", "Ewa": "Eve", "Magdalena": "Magda"}
TRANSLIT = [["Mohammed", "Muhammad", "Mohammad", "Mohamed", "Muhammed"], ["Chaudhry", "Choudhury", "Chaudhary",
            "Choudhry"], ["Hussain", "Hussein", "Husain"], ["Ahmed", "Ahmad"], ["Rahman", "Rehman"],
            ["Mahmood", "Mehmood", "Mahmud"], ["Yousaf", "Yusuf", "Yousuf"], ["Abdi", "Abdy"], ["Mohamed", "Mohammed"],
            ["Omar", "Umar"], ["Usman", "Osman"], ["Aisha", "Ayesha", "Aysha"], ["Fatima", "Fatimah"],
            ["Zhang", "Cheung"], ["Chen", "Chan"], ["Huang", "Wong"], ["Wu", "Ng"], ["Shoaib", "Shoib"]]
TRANSLIT_OF = {name: group for group in TRANSLIT for name in group}
PHONETIC_RULES = [("ph", "f"), ("f", "ph"), ("ck", "k"), ("th", "t"), ("ey", "ie"), ("ie", "y"), ("y", "ie"),
                  ("ou", "ow"), ("mps", "ms"), ("ms", "mps"), ("ai", "ay"), ("ei", "ie"), ("c", "k"), ("k", "c"),
                  ("ll", "l"), ("nn", "n"), ("tt", "t"), ("ss", "s"), ("ph", "v"), ("v", "ph"), ("sh", "ch"),
                  ("ee", "ea"), ("ea", "ee"), ("z", "s"), ("s", "z"), ("ine", "yn"), ("yn", "ine")]
WHOLE_PHONETIC = {"Stephen": "Steven", "Steven": "Stephen", "Stephens": "Stevens", "Stevens": "Stephens",
                  "Thompson": "Thomson", "Thomson": "Thompson", "Phillips": "Philips", "Philips": "Phillips",
                  "Catherine": "Kathryn", "Katherine": "Catherine", "Sean": "Shaun", "Shaun": "Shawn",
                  "Clarke": "Clark", "Clark": "Clarke", "Gray": "Grey", "Grey": "Gray", "Tracy": "Tracey",
                  "Tracey": "Tracy", "Zoe": "Zoey", "Ann": "Anne", "Anne": "Ann", "Jayne": "Jane", "Leigh": "Lee",
                  "Sian": "Shan", "Rhys": "Reece", "Jon": "John", "Mathew": "Matthew", "Matthew": "Mathew"}
OCR_RULES = [("rn", "m"), ("m", "rn"), ("cl", "d"), ("d", "cl"), ("li", "h"), ("h", "li"), ("I", "l"), ("l", "I"),
             ("e", "c"), ("c", "e"), ("vv", "w"), ("w", "vv"), ("n", "ri")]
QWERTY = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(QWERTY):
    for _c, _ch in enumerate(_row):
        near = [_row[i] for i in (_c - 1, _c + 1) if 0 <= i < len(_row)]
        for rr in (_r - 1, _r + 1):
            if 0 <= rr < len(QWERTY):
                near += [QWERTY[rr][i] for i in (_c - 1, _c, _c + 1) if 0 <= i < len(QWERTY[rr])]
        NEIGHBOURS[_ch] = "".join(near)


def weighted(items: list[tuple[str, float]]) -> tuple[list[str], list[float]]:
    names, cum, total = [], [], 0.0
    for name, w in items:
        total += w
        names.append(name)
        cum.append(total)
    return names, cum


class Pick:
    """Weighted choice by bisection on a cumulative table (fast enough for a million notices)."""

    def __init__(self, items: list[tuple[str, float]]) -> None:
        self.names, self.cum = weighted(items)

    def __call__(self, rng: random.Random) -> str:
        return self.names[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


RECORD_TYPE = Pick(RECORD_TYPES)


class _Mix(Pick):
    """A listed pool with probability `share`, else a made-up tail."""

    def __init__(self, listed: Pick, tail: Pick, share: float) -> None:
        self.listed, self.tail, self.share = listed, tail, share
        self.names = listed.names + tail.names

    def __call__(self, rng: random.Random) -> str:
        return self.listed(rng) if rng.random() < self.share else self.tail(rng)


def zipf(names: list[str], s: float = 1.0) -> Pick:
    return Pick([(n, 1 / (i + 1) ** s) for i, n in enumerate(names)])


def british_surnames(rng: random.Random) -> Pick:
    parts = BRITISH_TOP.split()
    top = [(parts[i], float(parts[i + 1])) for i in range(0, len(parts), 2)]
    seen = {n for n, _ in top}
    more = [n for n in dict.fromkeys(BRITISH_MORE) if n not in seen]
    top += [(n, 0.08 - 0.06 * k / len(more)) for k, n in enumerate(more)]
    # ~15,000 made-up British-looking names (Ashworth, Blackingley, ...): the long tail of rare surnames
    tail = [h + t + e for h in TAIL_HEADS for t in TAIL_TAILS for e in ("", "s")]
    tail += [h + m + t for h in TAIL_HEADS for m in ("er", "ing", "an", "el") for t in TAIL_TAILS]
    tail = list(dict.fromkeys(tail))
    rng.shuffle(tail)  # shuffled by the seed: which made-up names are commoner is part of the seed
    top_mass = sum(w for _, w in top)
    harmonic = sum(1 / (i + 150) for i in range(len(tail)))
    # the top ~150 names carry about a quarter of British names, the tail the rest (its commonest ~0.08 %)
    scale = (100 * 0.78 - top_mass) / harmonic
    return Pick(top + [(n, scale / (i + 150)) for i, n in enumerate(tail)])


@dataclass
class Pools:
    british_surname: Pick
    origin_pools: dict[str, dict[str, Pick]]
    origin_notices: Pick
    origin_register: Pick
    british_first: dict[tuple[str, bool], Pick]
    british_middle: dict[str, Pick]
    common_surnames: set[str] = field(default_factory=set)

    @classmethod
    def make(cls, rng: random.Random) -> Pools:
        pools = {o: {k: zipf(v, 0.7) for k, v in d.items()} for o, d in ORIGINS.items()}
        # Polish and West African surnames are far more varied than a short list: a made-up tail carries
        # 60 % of them (South Asian and Chinese surnames really are concentrated in a few names)
        for origin, heads, ends in (
                ("polish", words("Zaw Kar Sob Brzez Luk Grab Kwiat Stan Mal Chmiel Krup Wal Gor Las Mich Jas "
                                 "Dud Sik Szew Pietr Kacz Czar Wilcz Kubi Soko Bogd Sad Rut Cies Zar"),
                 words("owski ewski iński czyk ak ek ik ala ecki ucki")),
                ("african", words("Ade Olu Ola Oke Ogun Ako Aji Oye Ige Ani Obi Eze Nwa Chi Uche Odu Aki Bola "
                                  "Fola Kay Oni Ajay Ade Iwu Okon Ezi"),
                 words("yemi wale bayo tunde femi kunle nna ke du gbemi lade sanya kanmi wumi chukwu ora ebo"))):
            listed = pools[origin]["surnames"]
            made = list(dict.fromkeys(h + e for h in heads for e in ends))
            rng.shuffle(made)
            tail = Pick([(n, 1 / (i + 20)) for i, n in enumerate(made)])
            pools[origin]["surnames"] = _Mix(listed, tail, 0.4)
        first = {("M", False): zipf(BRITISH_MALE_OLD, 0.8), ("M", True): zipf(BRITISH_MALE_NEW, 0.8),
                 ("F", False): zipf(BRITISH_FEMALE_OLD, 0.8), ("F", True): zipf(BRITISH_FEMALE_NEW, 0.8)}
        return cls(british_surnames(rng), pools, Pick(ORIGIN_SHARE_NOTICES), Pick(ORIGIN_SHARE_REGISTER), first,
                   {"M": zipf(MIDDLE_MALE, 0.6), "F": zipf(MIDDLE_FEMALE, 0.6)},
                   set(BRITISH_TOP.split()[::2]) | set(words(
                       "Khan Ahmed Hussain Ali Akhtar Iqbal Begum Bibi Singh Kaur Patel Sharma Gill Nowak Kowalski "
                       "Kowalska Wong Chan Li Lee Zhang Wang Mohamed Abdi Hassan Okafor Adeyemi Mensah Owusu")))


@dataclass
class Person:
    sex: str
    forenames: list[str]
    surname: str  # as now
    birth_surname: str  # at birth ("" when never changed)
    born: date
    origin: str
    family_surname: str = ""  # a Sikh family name beside Singh/Kaur


def make_surname(rng: random.Random, pools: Pools, origin: str, sex: str) -> tuple[str, str]:
    """(surname, Sikh family name or '')."""
    if origin == "british":
        name = pools.british_surname(rng)
        if rng.random() < 0.02:  # hyphenated or double-barrelled
            other = pools.british_surname(rng)
            if other != name:
                name = f"{name}-{other}"
        return name, ""
    name = pools.origin_pools[origin]["surnames"](rng)
    if origin == "polish" and sex == "F" and name.endswith(("ski", "cki")):
        name = name[:-1] + "a"
    if origin == "indian" and name in ("Singh", "Kaur"):
        name = "Singh" if sex == "M" else "Kaur"
        if rng.random() < 0.5:  # also a family name, which one record may hold and another not
            family = pools.origin_pools["indian"]["surnames"](rng)
            if family not in ("Singh", "Kaur", "Patel", "Sharma", "Kumar", "Shah", "Mehta", "Joshi", "Gupta"):
                return family, name
    if origin == "pakistani_bangladeshi" and name in ("Bibi", "Begum") and sex == "M":
        name = "Hussain"
    return name, ""


def make_forenames(rng: random.Random, pools: Pools, origin: str, sex: str, born: date) -> list[str]:
    if origin == "british":
        first = pools.british_first[(sex, born.year >= 1985)](rng)
        r = rng.random()
        count = 0 if r < 0.15 else (1 if r < 0.90 else 2)
        middles = [pools.british_middle[sex](rng) for _ in range(count)]
    else:
        p = pools.origin_pools[origin]
        first = p["male" if sex == "M" else "female"](rng)
        r = rng.random()
        count = 0 if r < 0.35 else (1 if r < 0.92 else 2)
        middles = [p["middle_male" if sex == "M" else "middle_female"](rng) for _ in range(count)]
        if origin == "pakistani_bangladeshi" and sex == "M" and rng.random() < 0.25:
            first, middles = rng.choice(["Mohammed", "Muhammad"]), [first, *middles][:2]  # known by the second
    names = [first]
    for m in middles:
        if m not in names:
            names.append(m)
    return names


def birth_date(rng: random.Random, low: int, high: int) -> date:
    start = date(low, 1, 1).toordinal()
    end = min(date(high, 12, 31), TODAY - timedelta(days=1)).toordinal()
    return date.fromordinal(rng.randint(start, end))


def population_born(rng: random.Random) -> date:
    """Age on PND: mostly 18–50, some children and elderly (the offending and victimisation age curve)."""
    r = rng.random()
    if r < 0.06:
        return birth_date(rng, 2008, 2015)
    if r < 0.82:
        return birth_date(rng, 1976, 2008)
    if r < 0.96:
        return birth_date(rng, 1956, 1975)
    return birth_date(rng, 1936, 1955)


def make_person(rng: random.Random, pools: Pools, origin: str, born: date | None = None, sex: str | None = None
                ) -> Person:
    sex = sex or ("M" if rng.random() < 0.5 else "F")
    born = born or population_born(rng)
    surname, family = make_surname(rng, pools, origin, sex)
    person = Person(sex, make_forenames(rng, pools, origin, sex, born), surname, "", born, origin)
    if family:  # surname holds the family name; Singh/Kaur kept aside
        person.family_surname = family
    age = (TODAY - born).days // 365
    if sex == "F" and age >= 25 and rng.random() < 0.40:  # took a new surname on marriage (or reverted)
        person.birth_surname = person.surname
        person.surname, _ = make_surname(rng, pools, origin if rng.random() < 0.85 else "british", "M")
        if person.surname == person.birth_surname:
            person.birth_surname = ""
    return person


# ---- the register ------------------------------------------------------------------------------------
@dataclass
class Member:
    person: Person
    staff_number: str
    warrant_number: str
    workforce_type: str
    reg_surname: str
    reg_forenames: str
    reg_previous: list[str]
    reg_born: date
    classes: list[str]  # register-side errors (carried to every notice about the member)


def digit_slip(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text))
    new = rng.choice([d for d in "0123456789" if d != text[i]])
    return text[:i] + new + text[i + 1:]


def dob_digit_slip(rng: random.Random, born: date) -> date:
    for _ in range(20):
        iso = born.strftime("%Y%m%d")
        i = rng.choice([2, 3, 4, 5, 6, 7])  # not the century
        cand = iso[:i] + rng.choice([d for d in "0123456789" if d != iso[i]]) + iso[i + 1:]
        try:
            d = date(int(cand[:4]), int(cand[4:6]), int(cand[6:]))
        except ValueError:
            continue
        if d < TODAY and d.year >= 1920:
            return d
    return born


def make_register(rng: random.Random, pools: Pools, people: int) -> list[Member]:
    numbers = rng.sample(range(1, max(5 * people, 1000)), people)  # payroll numbers from a small range
    officers = int(people * 0.62)
    warrants = rng.sample(range(1, max(2 * officers, 1000)), officers)
    members: list[Member] = []
    i = 0
    while len(members) < people:
        kind = rng.random()
        origin = pools.origin_register(rng)
        if kind < 0.0075 and members:  # a married couple who both serve (1.5 % of members)
            partner = rng.choice(members).person
            sex = "F" if partner.sex == "M" else "M"
            born = partner.born + timedelta(days=rng.randint(-6 * 365, 6 * 365))
            person = make_person(rng, pools, partner.origin, born=min(born, date(2006, 1, 1)), sex=sex)
            if person.sex == "F" or rng.random() < 0.1:
                person.birth_surname = person.surname if person.surname != partner.surname else ""
            person.surname = partner.surname
            person.family_surname = ""
            extra = ["COUPLE_IN_REGISTER"]
        elif kind < 0.0105 and members:  # parent and child who both serve, same first forename
            parent = rng.choice(members).person
            born = parent.born + timedelta(days=rng.randint(20 * 365, 32 * 365))
            if born > date(2006, 6, 1):
                born = parent.born - timedelta(days=rng.randint(20 * 365, 32 * 365))
            person = make_person(rng, pools, parent.origin, born=born, sex=parent.sex)
            person.forenames = list(dict.fromkeys([parent.forenames[0], *person.forenames[1:]]))
            person.surname, person.birth_surname, person.family_surname = parent.surname, "", parent.family_surname
            extra = ["PARENT_CHILD_IN_REGISTER"]
        else:
            person = make_person(rng, pools, origin, born=birth_date(rng, 1958, 2006))
            extra = []
        number = f"{numbers[i]:06d}"
        kind_of = rng.random()
        is_officer = i < officers
        wtype = "POLICE_OFFICER" if is_officer else ("POLICE_STAFF" if kind_of < 0.8 else "PCSO")
        if is_officer and kind_of < 0.08:
            wtype = "SPECIAL_CONSTABLE"
        warrant = f"{warrants[i]:05d}" if is_officer else ""
        classes = list(extra)
        # the register's own recording of the person: HR data, good but not perfect
        forenames = person.forenames if rng.random() < 0.85 else person.forenames[:1]
        surname = person.surname
        previous: list[str] = []
        if person.family_surname and rng.random() < 0.3:
            surname = person.family_surname  # "Singh Sandhu": HR holds "Singh" in 30 %
            # (surname is the family name; person.family_surname holds Singh/Kaur)
        if person.birth_surname:
            if rng.random() < 0.08:
                surname = person.birth_surname  # HR not yet told of the new name
                classes.append("REGISTER_NAME_NOT_UPDATED")
            if rng.random() < 0.60:
                other = person.birth_surname if surname == person.surname else person.surname
                previous.append(f"{forenames[0]} {other}")
            else:
                classes.append("REGISTER_PREVIOUS_NAME_ABSENT")
        born = person.born
        if rng.random() < 0.003:
            born = dob_digit_slip(rng, born)
            classes.append("REGISTER_DOB_ERROR")
        members.append(Member(person, number, warrant, wtype, surname, " ".join(forenames), previous, born, classes))
        i += 1
    return members


# ---- recording a notice ------------------------------------------------------------------------------
def typo(rng: random.Random, word: str) -> tuple[str, str]:
    if len(word) < 3:
        return word, ""
    i = rng.randrange(1, len(word) - 1) if len(word) > 3 else rng.randrange(len(word))
    r = rng.random()
    ch = word[i]
    if r < 0.35:
        return word[:i] + word[i + 1:], "omission"
    if r < 0.65:
        near = NEIGHBOURS.get(ch.lower())
        if not near:
            return word[:i] + word[i + 1:], "omission"
        new = rng.choice(near)
        return word[:i] + (new.upper() if ch.isupper() else new) + word[i + 1:], "substitution"
    if r < 0.80:
        return word[:i] + ch + word[i:], "insertion"
    if i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2:], "transposition"
    return word[:i - 1] + word[i] + word[i - 1], "transposition"


def rule_variant(rng: random.Random, word: str, rules: list[tuple[str, str]]) -> str:
    options = [(a, b) for a, b in rules if a in word[1:]]
    if not options:
        return word
    a, b = rng.choice(options)
    spots = [k for k in range(1, len(word)) if word.startswith(a, k)]
    k = rng.choice(spots)
    return word[:k] + b + word[k + len(a):]


def strip_diacritics(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def record_dob(rng: random.Random, born: date, notice_date: date, classes: list[str]) -> tuple[str, date | None]:
    """The date of birth as a notice records it: (text, the date meant)."""
    r = rng.random()
    d: date | None = born
    if r < 0.04:
        classes.append("DOB_MISSING")
        return "", None
    r -= 0.04
    if r < 0.015:
        classes.append("DOB_YEAR_ONLY")
        return str(born.year), born
    r -= 0.015
    if r < 0.02:
        if born.day <= 12 and born.day != born.month:
            d = date(born.year, born.day, born.month)
            classes.append("DOB_DAY_MONTH_SWAP")
    elif (r := r - 0.02) < 0.02:
        d = dob_digit_slip(rng, born)
        classes.append("DOB_DIGIT_SLIP")
    elif (r := r - 0.02) < 0.01:
        d = date(born.year, 1, 1)
        classes.append("DOB_JAN_1")
    elif (r := r - 0.01) < 0.005:
        d = date(born.year, born.month, 1)
        classes.append("DOB_DAY_1")
    elif (r := r - 0.005) < 0.01:
        d = born.replace(year=born.year + rng.choice([-1, 1])) if not (born.month == 2 and born.day == 29) else born
        classes.append("DOB_YEAR_OFF_BY_ONE")
    elif (r := r - 0.01) < 0.005:
        y = born.year % 100
        swapped = (born.year // 100) * 100 + (y % 10) * 10 + y // 10
        if swapped != born.year and swapped >= 1920 and not (born.month == 2 and born.day == 29):
            d = born.replace(year=swapped)
            classes.append("DOB_YEAR_DIGITS_SWAPPED")
    elif (r := r - 0.005) < 0.01:
        d = born + timedelta(days=rng.randint(-3650, 3650))
        classes.append("DOB_WRONG")
    assert d is not None
    if d >= notice_date or d >= TODAY:
        d = born
    return d.isoformat(), d


def record_names(rng: random.Random, person: Person, surname: str, classes: list[str]) -> tuple[str, str]:
    """The surname and forenames as a notice records them (before case and typing noise)."""
    forenames = list(person.forenames)
    # transliteration and diacritics
    for k, name in enumerate(forenames):
        if name in TRANSLIT_OF and rng.random() < 0.5:
            alt = rng.choice([x for x in TRANSLIT_OF[name] if x != name])
            forenames[k] = alt
            classes.append("TRANSLITERATED")
    if surname in TRANSLIT_OF and rng.random() < 0.5:
        surname = rng.choice([x for x in TRANSLIT_OF[surname] if x != surname])
        classes.append("TRANSLITERATED")
    if person.origin == "polish" and forenames[0] in ANGLICISED and rng.random() < 0.15:
        forenames[0] = ANGLICISED[forenames[0]]
        classes.append("ANGLICISED")
    elif forenames[0] in NICKNAMES and rng.random() < 0.12:
        forenames[0] = rng.choice(NICKNAMES[forenames[0]])
        classes.append("NICKNAME")
    # middle names
    if len(forenames) > 1:
        r = rng.random()
        if forenames[0] in TRANSLIT_OF.get("Mohammed", []) and rng.random() < 0.4:
            r = 0.0  # Mohammed Imran is known as Imran
        if r < 0.05:
            forenames = forenames[1:]  # known by the middle name; the first not given
            classes.append("KNOWN_BY_MIDDLE")
        elif r < 0.40:
            forenames = forenames[:1]
            classes.append("MIDDLE_DROPPED")
        elif r < 0.48:
            forenames = [forenames[0], *(m[0] for m in forenames[1:])]
            classes.append("MIDDLE_INITIAL")
    text = " ".join(forenames)
    if any(ord(c) > 127 for c in text + surname) and rng.random() < 0.85:
        text, surname = strip_diacritics(text), strip_diacritics(surname)
        classes.append("DIACRITICS_STRIPPED")
    # surname forms
    if "-" in surname:
        r = rng.random()
        if r < 0.40:
            surname = rng.choice(surname.split("-"))
            classes.append("HYPHEN_PART")
        elif r < 0.65:
            surname = surname.replace("-", " ")
            classes.append("HYPHEN_SPACE")
    if surname.startswith("O'") and rng.random() < 0.45:
        surname = surname.replace("'", "" if rng.random() < 0.67 else " ")
        classes.append("APOSTROPHE")
    if surname.startswith(("Mc", "Mac")) and rng.random() < 0.20:
        r = rng.random()
        if r < 0.4:
            surname = "Mac" + surname[2:] if surname.startswith("Mc") else "Mc" + surname[3:]
        elif r < 0.7:
            surname = "Mc " + surname[2:] if surname.startswith("Mc") else "Mac " + surname[3:]
        else:
            cut = 2 if surname.startswith("Mc") else 3
            surname = surname[:cut] + surname[cut:].lower()
        classes.append("MC_MAC")
    swap_rate = 0.015 if person.origin == "british" else 0.05
    if rng.random() < swap_rate:  # the surname in the forenames field and the first forename as the surname
        words = text.split(" ")
        surname, text = words[0], " ".join([surname, *words[1:]])
        classes.append("SURNAME_FORENAME_SWAPPED")
    return surname, text


def type_noise(rng: random.Random, surname: str, forenames: str, classes: list[str]) -> tuple[str, str]:
    """Keying, phonetic and OCR errors, then the case the issuer writes in."""
    def one(word: str, label: str) -> str:
        new, how = typo(rng, word)
        if how:
            classes.append(f"{label}_TYPO_{how.upper()}")
        if rng.random() < 0.125:
            new, how = typo(rng, new)
            if how:
                classes.append(f"{label}_TYPO_{how.upper()}")
        return new

    if rng.random() < 0.04:
        surname = one(surname, "SURNAME")
    if rng.random() < 0.04:
        parts = forenames.split(" ")
        parts[0] = one(parts[0], "FORENAME")
        forenames = " ".join(parts)
    if rng.random() < 0.025:
        if rng.random() < 0.5:
            new = WHOLE_PHONETIC.get(surname) or rule_variant(rng, surname, PHONETIC_RULES)
            if new != surname:
                surname = new
                classes.append("SURNAME_PHONETIC")
        else:
            parts = forenames.split(" ")
            new = WHOLE_PHONETIC.get(parts[0]) or rule_variant(rng, parts[0], PHONETIC_RULES)
            if new != parts[0]:
                parts[0] = new
                forenames = " ".join(parts)
                classes.append("FORENAME_PHONETIC")
    if rng.random() < 0.005:
        new = rule_variant(rng, surname, OCR_RULES)
        if new != surname:
            surname = new
            classes.append("OCR")
    if rng.random() < 0.55:
        surname, forenames = surname.upper(), forenames.upper()
    return surname, forenames


# ---- the notices -------------------------------------------------------------------------------------
@dataclass
class Notice:
    notice_id: str
    notice_date: date
    record_type: str
    surname: str
    forenames: str
    born: str
    staff_number: str
    warrant_number: str
    pnc_id: str
    employing_force: str
    kind: str  # TRUE, RELATIVE_*, NAMESAKE_*, OTHER_FORCE_OFFICER, PUBLIC
    member: str  # the staff number it is about (TRUE) or a look-alike of (hard non-match), else ""
    classes: list[str]


def pnc_id(rng: random.Random, born: date) -> str:
    year = rng.randint(max(born.year + 10, 1990), 2026) % 100
    return f"{year:02d}/{rng.randint(1, 999999):06d}{rng.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}"


def relative_of(rng: random.Random, pools: Pools, member: Member) -> tuple[Person, str]:
    p = member.person
    r = rng.random()
    if r < 0.40:
        sex = "F" if p.sex == "M" else "M"
        born = p.born + timedelta(days=rng.randint(-6 * 365, 6 * 365))
        rel = make_person(rng, pools, p.origin, born=min(born, TODAY - timedelta(days=6000)), sex=sex)
        rel.surname, rel.family_surname = p.surname, ""
        if rel.forenames[0] == p.forenames[0]:
            rel.forenames[0] = make_person(rng, pools, p.origin, born=born, sex=sex).forenames[0]
        return rel, "RELATIVE_SPOUSE"
    if r < 0.65:
        born = p.born + timedelta(days=rng.choice([-1, 1]) * rng.randint(365, 12 * 365))
        rel = make_person(rng, pools, p.origin, born=min(born, TODAY - timedelta(days=4000)))
        rel.surname, rel.birth_surname, rel.family_surname = p.surname, "", p.family_surname
        if rel.forenames[0] == p.forenames[0]:
            rel.forenames[0] = make_person(rng, pools, p.origin, born=born, sex=rel.sex).forenames[0]
        return rel, "RELATIVE_SIBLING"
    if r < 0.75:
        rel = make_person(rng, pools, p.origin, born=p.born, sex=p.sex if rng.random() < 0.6 else None)
        rel.surname, rel.birth_surname, rel.family_surname = p.surname, "", p.family_surname
        for _ in range(10):
            if rel.forenames[0] != p.forenames[0]:
                break
            rel.forenames[0] = make_person(rng, pools, p.origin, born=p.born, sex=rel.sex).forenames[0]
        if rng.random() < 0.3:  # alliterative twins
            same = [n for n in (BRITISH_MALE_NEW + BRITISH_MALE_OLD if rel.sex == "M" else
                                BRITISH_FEMALE_NEW + BRITISH_FEMALE_OLD) if n[0] == p.forenames[0][0]
                    and n != p.forenames[0]]
            if same and p.origin == "british":
                rel.forenames[0] = rng.choice(same)
        return rel, "RELATIVE_TWIN"
    if r < 0.95:
        gap = timedelta(days=rng.randint(20 * 365, 35 * 365))
        born = p.born - gap if (p.born + gap >= TODAY - timedelta(days=3650) or rng.random() < 0.5) else p.born + gap
        rel = make_person(rng, pools, p.origin, born=born, sex=p.sex)
        rel.forenames = list(dict.fromkeys([p.forenames[0], *rel.forenames[1:]]))
        rel.surname, rel.birth_surname, rel.family_surname = p.surname, "", p.family_surname
        return rel, "RELATIVE_PARENT_CHILD_SAME_NAME"
    born = p.born + timedelta(days=rng.randint(-5 * 365, 5 * 365))
    rel = make_person(rng, pools, p.origin, born=min(born, TODAY - timedelta(days=4000)), sex=p.sex)
    rel.forenames = list(dict.fromkeys([p.forenames[0], *rel.forenames[1:]]))
    rel.surname, rel.birth_surname, rel.family_surname = p.surname, "", ""
    return rel, "RELATIVE_COUSIN_SAME_NAME"


def namesake_of(rng: random.Random, pools: Pools, member: Member) -> tuple[Person, str]:
    p = member.person
    r = rng.random()
    if r < 0.03:  # only members with a common surname are given namesakes (make_notices)
        born, how = p.born, "NAMESAKE_SAME_DOB"
    elif r < 0.25:
        try:
            born = p.born.replace(year=p.born.year + rng.choice([-3, -2, -1, 1, 2, 3]))
        except ValueError:
            born = p.born + timedelta(days=365)
        how = "NAMESAKE_SAME_DAY_MONTH"
    elif r < 0.65:
        born, how = p.born + timedelta(days=rng.randint(365, 3 * 365) * rng.choice([-1, 1])), "NAMESAKE_1_3_YEARS"
    elif r < 0.88:
        born, how = p.born + timedelta(days=rng.choice([-1, 1]) * rng.randint(1, 60)), "NAMESAKE_60_DAYS"
    elif p.born.day <= 12 and p.born.day != p.born.month:
        born, how = date(p.born.year, p.born.day, p.born.month), "NAMESAKE_SWAPPED_DOB"
    else:
        born, how = p.born + timedelta(days=rng.randint(-20, 20) or 1), "NAMESAKE_60_DAYS"
    born = min(born, TODAY - timedelta(days=4000))
    ns = make_person(rng, pools, p.origin, born=born, sex=p.sex)
    ns.surname, ns.birth_surname, ns.family_surname = p.surname, "", p.family_surname
    ns.forenames = list(dict.fromkeys([p.forenames[0], *ns.forenames[1:]]))
    if how == "NAMESAKE_SAME_DOB":
        mids = ns.forenames[1:]
        if mids == p.forenames[1:]:
            ns.forenames = [p.forenames[0], pools.british_middle[p.sex](rng)]
            if ns.forenames[1:] == p.forenames[1:]:
                ns.forenames = ns.forenames[:1] if len(p.forenames) > 1 else [p.forenames[0], "Lee"]
    return ns, how


def make_notices(rng: random.Random, pools: Pools, members: list[Member], count: int) -> Iterator[Notice]:
    """The notices one by one (a million are written without holding them all)."""
    n_true = round(count * 0.010)
    n_relative = round(count * 0.0035)
    n_namesake = round(count * 0.0025)
    n_other_force = round(count * 0.006)
    kinds = (["TRUE"] * n_true + ["RELATIVE"] * n_relative + ["NAMESAKE"] * n_namesake
             + ["OTHER_FORCE_OFFICER"] * n_other_force)
    kinds += ["PUBLIC"] * (count - len(kinds))
    rng.shuffle(kinds)
    involved = rng.sample(members, max(1, min(len(members), round(len(members) * 0.05))))
    involved_pick = zipf([m.staff_number for m in involved], 0.4)  # a few members have several notices
    by_staff = {m.staff_number: m for m in members}
    common_members = [m for m in members if m.person.surname in pools.common_surnames] or members
    ids = rng.sample(range(10_000_000, 99_999_999), count)
    for k, kind in enumerate(kinds):
        notice_date = date.fromordinal(rng.randint(date(2024, 1, 1).toordinal(), date(2026, 11, 30).toordinal()))
        record_type = RECORD_TYPE(rng)
        classes: list[str] = []
        member: Member | None = None
        staff = warrant = force = ""
        if kind == "TRUE":
            member = by_staff[involved_pick(rng)]
            person = member.person
            classes += member.classes
            if person.birth_surname and rng.random() < 0.30:
                surname = person.birth_surname
                classes.append("SURNAME_CHANGED_PREV_HELD" if member.reg_previous else "SURNAME_CHANGED_NOT_HELD")
            elif person.family_surname and rng.random() < 0.40:
                surname = person.family_surname
                classes.append("SINGH_KAUR")
            else:
                surname = person.surname
            if rng.random() < 0.08:
                staff = member.staff_number
                if rng.random() < 0.04:
                    staff = digit_slip(rng, staff)
                    classes.append("STAFF_NUMBER_TYPO" + ("_OTHER_MEMBER" if staff in by_staff else ""))
            if member.warrant_number and rng.random() < 0.08:
                warrant = member.warrant_number
                if rng.random() < 0.04:
                    warrant = digit_slip(rng, warrant)
                    classes.append("WARRANT_NUMBER_TYPO")
            r = rng.random()
            force = HOME if r < 0.30 else (rng.choice(OTHER_FORCES) if r < 0.38 else "")
            if force and force != HOME:
                classes.append("EMPLOYING_FORCE_OTHER")
        elif kind == "RELATIVE":
            member = rng.choice(members)
            person, kind = relative_of(rng, pools, member)
            surname = person.surname
        elif kind == "NAMESAKE":  # namesakes born near are only plausible for common names
            member = rng.choice(common_members)
            person, kind = namesake_of(rng, pools, member)
            surname = person.surname
        else:
            person = make_person(rng, pools, pools.origin_notices(rng))
            surname = person.family_surname if person.family_surname and rng.random() < 0.4 else person.surname
            if kind == "OTHER_FORCE_OFFICER":
                force = rng.choice(OTHER_FORCES)
                person.born = birth_date(rng, 1960, 2005)
                if rng.random() < 0.40:
                    staff = f"{rng.randint(1, 5 * max(len(members), 2000)):06d}"  # their force's numbering
                if rng.random() < 0.40:
                    warrant = f"{rng.randint(1, 2 * max(len(members), 2000)):05d}"
                if staff in by_staff or warrant:
                    classes.append("OTHER_FORCE_NUMBER_COLLIDES" if staff in by_staff else "OTHER_FORCE_NUMBERS")
        if notice_date <= person.born + timedelta(days=3650):
            notice_date = min(person.born + timedelta(days=3650 + rng.randint(0, 3000)), date(2026, 11, 30))
        if kind == "TRUE" and rng.random() < 0.01:
            alias = make_person(rng, pools, person.origin, born=person.born, sex=person.sex)
            person = alias
            surname = alias.surname
            classes.append("ALIAS")
        sname, fnames = record_names(rng, person, surname, classes)
        sname, fnames = type_noise(rng, sname, fnames, classes)
        born, _ = record_dob(rng, person.born, notice_date, classes)
        pnc = pnc_id(rng, person.born) if rng.random() < 0.65 else ""
        yield Notice(f"PND-{ids[k]}", notice_date, record_type, sname, fnames, born, staff, warrant, pnc,
                     force, kind, member.staff_number if member else "", classes)


# ---- files -------------------------------------------------------------------------------------------
def write(folder: Path, people: int, notices: int, seed: int) -> tuple[Path, Path, dict[str, str]]:
    """Write workforce.csv, pnd-extract.csv, truth.csv and truth-classes.csv; return the two inputs and the answers."""
    rng = random.Random(seed)
    pools = Pools.make(rng)
    members = make_register(rng, pools, people)
    made = make_notices(rng, pools, members, notices)
    folder.mkdir(parents=True, exist_ok=True)
    workforce, extract = folder / "workforce.csv", folder / "pnd-extract.csv"
    with workforce.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["staff_number", "warrant_number", "surname", "forenames", "previous_names", "date_of_birth",
                    "workforce_type"])
        for m in members:
            w.writerow([m.staff_number, m.warrant_number, m.reg_surname, m.reg_forenames, ";".join(m.reg_previous),
                        m.reg_born.isoformat(), m.workforce_type])
    answers: dict[str, str] = {}
    with extract.open("w", newline="", encoding="utf-8") as fh, \
            (folder / "truth-classes.csv").open("w", newline="", encoding="utf-8") as th:
        w, t = csv.writer(fh), csv.writer(th)
        w.writerow(["notice_id", "issuing_force", "notice_date", "record_type", "surname", "forenames", "date_of_birth",
                    "staff_number", "warrant_number", "pnc_id", "employing_force"])
        t.writerow(["issuer_notice", "kind", "member", "classes"])
        for n in made:
            w.writerow([n.notice_id, "PND", n.notice_date.isoformat(), n.record_type, n.surname.strip() or "Unknown",
                        n.forenames.strip() or "Unknown", n.born, n.staff_number, n.warrant_number, n.pnc_id,
                        n.employing_force])
            key = f"PND|{n.notice_id}"
            t.writerow([key, n.kind, n.member, ";".join(n.classes)])
            if n.kind == "TRUE":
                answers[key] = n.member
    with (folder / "truth.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["issuer_notice", "staff_number"], *answers.items()])
    return workforce, extract, answers


# ---- error analysis ----------------------------------------------------------------------------------
def _read(path: Path, key: str) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return {row[key]: row for row in csv.DictReader(fh)}


def analyse(folder: Path, examples: int = 5, out: TextIO = sys.stdout) -> dict[str, object]:
    """False automatic matches and missed true notices, grouped by what the generator did."""
    def say(*a: object) -> None:
        print(*a, file=out)

    register = _read(folder / "workforce.csv", "staff_number")
    truth = _read(folder / "truth-classes.csv", "issuer_notice")
    wanted: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (folder / "match-report.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            wanted[f"{row['issuing_force']}|{row['notice_id']}"].append(row)
    notices: dict[str, dict[str, str]] = {}
    by_name: dict[tuple[str, str], list[date]] = defaultdict(list)
    for r in register.values():
        name = (r["forenames"].split(" ")[0].upper(), r["surname"].upper())
        by_name[name].append(date.fromisoformat(r["date_of_birth"]))
    natural: Counter[str] = Counter()  # namesakes that independent sampling made (PUBLIC notices), for scale
    with (folder / "pnd-extract.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = f"PND|{row['notice_id']}"
            if key in wanted or truth[key]["kind"] == "TRUE":
                notices[key] = row
            name = (row["forenames"].split(" ")[0].upper(), row["surname"].upper())
            if truth[key]["kind"] != "PUBLIC" or name not in by_name or len(row["date_of_birth"]) != 10:
                continue
            d = date.fromisoformat(row["date_of_birth"])
            for m in by_name[name]:
                if d == m:
                    natural["same date of birth"] += 1
                elif d.year == m.year and (d.day, d.month) == (m.month, m.day):
                    natural["day and month swapped"] += 1
                elif (d.day, d.month) == (m.day, m.month) and abs(d.year - m.year) <= 3:
                    natural["same day and month, 1-3 years apart"] += 1
                elif abs((d - m).days) <= 60:
                    natural["within 60 days"] += 1
                elif abs((d - m).days) <= 3 * 366:
                    natural["within 3 years"] += 1
    false_auto: list[tuple[str, dict[str, str]]] = []
    missed: list[str] = []
    found_auto = found_review = 0
    for key, t in truth.items():
        rows = wanted.get(key, [])
        for row in rows:
            if row["decision"] == "MATCH" and not (t["kind"] == "TRUE" and row["staff_number"] == t["member"]):
                false_auto.append((key, row))
        if t["kind"] == "TRUE":
            hit = [r["decision"] for r in rows if r["staff_number"] == t["member"]]
            if "MATCH" in hit:
                found_auto += 1
            elif "REVIEW" in hit:
                found_review += 1
            else:
                missed.append(key)

    def show(key: str, row: dict[str, str] | None, staff: str) -> str:
        n, r = notices[key], register.get(staff, {})
        t = truth[key]
        lines = [f"    notice  {n['surname']!r:24} {n['forenames']!r:30} dob {n['date_of_birth'] or '-':10} "
                 f"staff {n['staff_number'] or '-'} warrant {n['warrant_number'] or '-'} "
                 f"force {n['employing_force'] or '-'}",
                 f"    register {r.get('surname', '?')!r:23} {r.get('forenames', '?')!r:30} "
                 f"dob {r.get('date_of_birth', '?'):10} "
                 f"staff {staff} warrant {r.get('warrant_number') or '-'} previous {r.get('previous_names') or '-'}",
                 f"    kind {t['kind']}; classes {t['classes'] or '(none)'}"]
        if row:
            lines.append(f"    score {row['score']} {row['decision']}: {row['reasons']}")
        return "\n".join(lines)

    n_true = sum(1 for t in truth.values() if t["kind"] == "TRUE")
    say(f"true notices {n_true:,}; found automatically {found_auto:,}; found in review only {found_review:,}; "
        f"missed {len(missed):,}; false automatic match rows {len(false_auto):,}")
    say("PUBLIC notices with a member's first forename and surname (as recorded), by date of birth: "
        + "; ".join(f"{k} {v:,}" for k, v in natural.most_common()))
    say("\n== Every kind of notice: how many, how many with an automatic match, how many only in review")
    kind_rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key, t in truth.items():
        decisions = {r["decision"] for r in wanted.get(key, [])}
        counts = kind_rows[t["kind"]]
        counts[0] += 1
        counts[1] += "MATCH" in decisions
        counts[2] += "MATCH" not in decisions and "REVIEW" in decisions
    say(f"  {'kind':34} {'notices':>9} {'auto MATCH':>11} {'review only':>12}")
    for kind, (total, auto, review) in sorted(kind_rows.items(), key=lambda kv: -kv[1][0]):
        say(f"  {kind:34} {total:9,} {auto:11,} {review:12,}")
    # what precision would be without each kind of look-alike (as if the generator had not made them)
    match_rows = [(truth[key]["kind"], truth[key]["kind"] == "TRUE" and row["staff_number"] == truth[key]["member"])
                  for key, rows in wanted.items() for row in rows if row["decision"] == "MATCH"]
    right = sum(ok for _, ok in match_rows)
    say(f"\n  auto precision {right / max(len(match_rows), 1):.4f} ({right:,} of {len(match_rows):,} MATCH rows); "
        "without the notices of one kind:")
    for kind in sorted({k for k, ok in match_rows if not ok and k != "TRUE"}):
        rows_left = [ok for k, ok in match_rows if k != kind]
        say(f"    without {kind:32} {sum(rows_left) / max(len(rows_left), 1):.4f}")
    for label, dropped in (("NAMESAKE_SAME_DOB and _SWAPPED_DOB", ("NAMESAKE_SAME_DOB", "NAMESAKE_SWAPPED_DOB")),
                           ("every made look-alike", ("RELATIVE_", "NAMESAKE_", "OTHER_FORCE_OFFICER"))):
        rows_left = [ok for k, ok in match_rows if not k.startswith(dropped)]
        say(f"    without {label:32} {sum(rows_left) / max(len(rows_left), 1):.4f} (only PUBLIC and TRUE left)"
            if label.startswith("every") else f"    without {label:32} {sum(rows_left) / max(len(rows_left), 1):.4f}")
    # false automatic matches by the kind of notice, and for true notices matched to someone else by class
    say("\n== False automatic matches, by the kind of person the notice is about")
    by_kind: dict[str, list[tuple[str, dict[str, str]]]] = defaultdict(list)
    for key, row in false_auto:
        t = truth[key]
        label = t["kind"] if t["kind"] != "TRUE" else "TRUE_BUT_ANOTHER_MEMBER"
        if t["kind"] != "TRUE" and row["staff_number"] != t["member"]:
            label += " (matched to a member other than its look-alike)"
        by_kind[label].append((key, row))
    kind_totals = Counter(t["kind"] for t in truth.values())
    for label, items in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
        base = label.split(" ")[0]
        total = kind_totals.get(base, 0) or kind_totals.get("TRUE", 0)
        say(f"  {label}: {len(items):,} rows (of {total:,} such notices)")
        classes = Counter(c for key, _ in items for c in truth[key]["classes"].split(";") if c)
        if classes:
            say("    classes among them: " + ", ".join(f"{c} {k}" for c, k in classes.most_common(8)))
        for key, row in items[:examples]:
            say(show(key, row, row["staff_number"]))
    say("\n== Missed true notices (neither automatic nor review), by error class (a notice can have several)")
    per_class = Counter(c for key in missed for c in truth[key]["classes"].split(";") if c)
    all_true_class = Counter(c for t in truth.values() if t["kind"] == "TRUE" for c in t["classes"].split(";") if c)
    none_missed = [key for key in missed if not truth[key]["classes"]]
    say(f"  with no error class at all: {len(none_missed):,}")
    for cls, k in per_class.most_common():
        say(f"  {cls}: {k:,} missed of {all_true_class[cls]:,} true notices with it ({k / all_true_class[cls]:.0%})")
    say("\n  Combinations most often missed:")
    combos = Counter(truth[key]["classes"] or "(none)" for key in missed)
    for combo, k in combos.most_common(12):
        say(f"    {k:5,}  {combo}")
    say("\n  Examples of the biggest classes:")
    for cls, _ in per_class.most_common(6):
        say(f"  -- {cls}")
        for key in [k for k in missed if cls in truth[k]["classes"].split(";")][:examples]:
            say(show(key, None, truth[key]["member"]))
    return {"false_auto": len(false_auto), "missed": len(missed), "by_kind": {k: len(v) for k, v in by_kind.items()},
            "missed_by_class": dict(per_class)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("folder", type=Path)
    w.add_argument("--people", type=int, default=20_000)
    w.add_argument("--notices", type=int, default=200_000)
    w.add_argument("--seed", type=int, default=3)
    a = sub.add_parser("analyse")
    a.add_argument("folder", type=Path)
    a.add_argument("--examples", type=int, default=5)
    args = ap.parse_args(argv)
    if args.command == "write":
        _, _, answers = write(args.folder, args.people, args.notices, args.seed)
        with (args.folder / "truth-classes.csv").open(encoding="utf-8") as fh:
            kinds = Counter(row[1] for row in itertools.islice(csv.reader(fh), 1, None))
        print(f"{args.people:,} people, {args.notices:,} notices, {len(answers):,} true; kinds {dict(kinds)}")
    else:
        analyse(args.folder, args.examples)


if __name__ == "__main__":
    main()
