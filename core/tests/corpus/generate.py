#!/usr/bin/env python3
"""Writes core/tests/corpus/ward_chat.jsonl: synthetic, labelled ward-chat messages.

Every person, number and address here is made up. NHS, CHI and H&C numbers are generated
with valid check digits; "negative" 10-digit numbers (lab and order numbers) have failing
ones. Names are hand-picked for the communities of the UK and written independently of
the scanner's lexicon (some are deliberately absent from it).

Each line: {"id": N, "text": "...", "spans": [{"start": S, "end": E, "kind": K}]} with
UTF-8 byte offsets. Regenerate with `python3 core/tests/corpus/generate.py` (fixed seed,
so the output is byte-identical); tests check that the committed file is current.
"""
import json
import os
import random
import re
import sys

rng = random.Random(20261123)

# ---------------------------------------------------------------- people
GIVEN = {
    "english": "Oliver George Harry Jack Charlie Thomas Emily Olivia Amelia Jessica Sophie Hannah "
    "Margaret Dorothy Joan Eileen Brian Keith Trevor Derek Pauline Sandra Gillian Kevin".split(),
    "scottish": "Hamish Callum Eilidh Mhairi Morag Alasdair Ishbel Fraser Kirsty Ewan Isla".split(),
    "welsh": "Dafydd Rhodri Cerys Angharad Gethin Ffion Bethan Iolo Gwenllian Owain".split(),
    "irish": "Siobhán Aoife Niamh Ciarán Seán Pádraig Róisín Eoin Gráinne Saoirse Tadhg".split(),
    "indian": "Priya Rajesh Anjali Vikram Sunita Arjun Deepak Kavita Harpreet Gurdeep Lakshmi Nikhil".split(),
    "pakistani": "Imran Ayesha Bilal Saima Usman Nadia Zahid Rubina Faisal Mehwish".split(),
    "bangladeshi": "Rahima Jamal Nasrin Mizanur Shamima Rafiq Taslima Anwar Sultana".split(),
    "srilankan": "Nuwan Chamari Tharindu Dilani Kasun Thilini Sivakumar Nirmala".split(),
    "african": "Chidi Ngozi Oluwaseun Adaeze Kwame Abena Kofi Akosua Tendai Chipo Emeka Folake "
    "Yaw Ama Ifeoma Babajide".split(),
    "somali": "Abdirahman Hodan Farhan Ubah Abdi Faadumo Liban Hibo".split(),
    "caribbean": "Delroy Marcia Winston Hyacinth Errol Claudette Leroy Paulette Desmond".split(),
    "chinese": "Wei Mei Jun Xiaoling Hao Ling Ka-Wai Siu Ming".split(),
    "polish": "Łukasz Małgorzata Wojciech Agnieszka Krzysztof Zofia Paweł Katarzyna".split(),
    "easteuro": "Andreea Mihai Ionuț Jurgita Mindaugas Oksana Taras Ilze Dmitri".split(),
    "arabic": "Khalid Layla Omar Rania Youssef Amira Tariq Huda Mariam".split(),
    "turkish": "Mehmet Ayşe Emre Zeynep Hatice Murat Elif".split(),
    "other": "Zoë Chloé Noémie Renée Anaïs Björn".split(),
}
SURNAME = {
    "english": "Smith Jones Taylor Wilson Hughes Thompson Walker Robinson Wright Clarke Harrison "
    "Pearson Hodgson Ashworth Ramsbottom Pickles Greenwood Sutcliffe".split(),
    "scottish": "MacDonald McLeod Fraser Urquhart Buchanan Menzies Drummond MacKenzie".split(),
    "welsh": "Llewellyn Pritchard Rhys Griffiths Vaughan Prosser Parry".split(),
    "irish": ["O'Sullivan", "Ní Bhriain", "Ó Súilleabháin", "McCarthy", "Byrne", "Doherty",
              "Gallagher", "Kavanagh", "Mac Giolla Phádraig"],
    "indian": "Patel Sharma Singh Kaur Desai Mistry Nair Reddy Chauhan Sandhu Iyer".split(),
    "pakistani": "Hussain Akhtar Iqbal Qureshi Mahmood Butt Malik Chaudhry".split(),
    "bangladeshi": "Begum Uddin Miah Chowdhury Rahman Hossain Khatun".split(),
    "srilankan": "Perera Fernando Jayawardena Wickramasinghe Thevarajah Ranasinghe".split(),
    "african": "Okonkwo Adeyemi Mensah Boateng Owusu Okafor Nwosu Moyo Oyelaran Adebayo "
    "Asante Ncube Olawale Chukwu".split(),
    "somali": "Warsame Abdullahi Farah Hirsi Osman Jama".split(),
    "caribbean": "Campbell Beckford Brathwaite Gayle Lindo Samuels Forbes".split(),
    "chinese": "Wong Chen Zhang Leung Cheung Liu Huang Lam".split(),
    "polish": "Kowalski Wiśniewska Nowak Wójcik Dąbrowski Lewandowska Zieliński".split(),
    "easteuro": "Popescu Ionescu Petrauskas Kazlauskas Bērziņš Shevchenko Ivanova".split(),
    "arabic": "Al-Hassan Haddad Khalil Mansour Nasser Saleh Ibrahim".split(),
    "turkish": "Yılmaz Demir Şahin Öztürk Kaya Aydın".split(),
    "other": "Dubois Lefèvre Müller Svensson".split(),
}
COMMUNITIES = list(GIVEN)
TITLES = ["Mr", "Mrs", "Ms", "Miss", "Dr", "Mx", "Mr.", "Mrs."]


def person():
    c = rng.choice(COMMUNITIES)
    g = rng.choice(GIVEN[c])
    s = rng.choice(SURNAME[c] if rng.random() < 0.8 else SURNAME[rng.choice(COMMUNITIES)])
    return g, s


# ---------------------------------------------------------------- numbers
def check_digit(nine):
    total = sum(int(d) * (10 - i) for i, d in enumerate(nine))
    c = 11 - total % 11
    return None if c == 10 else (0 if c == 11 else c)


def ten_digits(lo, hi, valid=True, chi=False):
    while True:
        if chi:
            while True:
                d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(30, 99)
                first = f"{d:02d}{m:02d}{y:02d}{rng.randint(0, 999):03d}"
                break
        else:
            first = str(rng.randint(lo, hi))
        c = check_digit(first)
        if valid and c is not None:
            return first + str(c)
        if not valid:
            wrong = [x for x in range(10) if x != c]
            return first + str(rng.choice(wrong))


def layout(n):
    r = rng.random()
    if r < 0.45:
        return f"{n[:3]} {n[3:6]} {n[6:]}"
    if r < 0.75:
        return n
    if r < 0.88:
        return f"{n[:3]}-{n[3:6]}-{n[6:]}"
    return f"{n[:3]}\u00a0{n[3:6]}\u00a0{n[6:]}"


def nhs():
    lo, hi = rng.choice([(400000000, 499999999), (600000000, 799999999)])
    return layout(ten_digits(lo, hi))


def chi():
    n = ten_digits(0, 0, chi=True)
    return rng.choice([n, f"{n[:6]} {n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}"])


def hc():
    return layout(ten_digits(320000000, 399999999))


def bad_ten():
    return ten_digits(100000000, 999999999, valid=False)


MONTHS = "January February March April May June July August September October November December".split()


def dob_value():
    y = rng.randint(1928, 2004)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    style = rng.randrange(8)
    if style == 0:
        return f"{d:02d}/{m:02d}/{y}"
    if style == 1:
        return f"{d}/{m}/{y % 100:02d}"
    if style == 2:
        return f"{d:02d}.{m:02d}.{y}"
    if style == 3:
        return f"{d:02d}-{m:02d}-{y}"
    if style == 4:
        return f"{y}-{m:02d}-{d:02d}"
    if style == 5:
        return f"{d} {MONTHS[m - 1][:3]} {y}"
    if style == 6:
        suffix = "th" if d in (4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 24, 25, 26, 27, 28) else {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}[d]
        return f"{d}{suffix} {MONTHS[m - 1]} {y}"
    return f"{MONTHS[m - 1]} {d}, {y}"


def recent_date():
    y = rng.choice([2025, 2026])
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{d:02d}/{m:02d}/{y}", f"{d}/{m}", f"{d} {MONTHS[m - 1][:3]}", f"{d:02d}.{m:02d}.{y % 100}"])


def phone():
    return rng.choice([
        f"07700 900{rng.randint(0, 999):03d}",
        f"077009{rng.randint(0, 99999):05d}",
        f"0113 496 {rng.randint(0, 9999):04d}",
        f"020 7946 {rng.randint(0, 9999):04d}",
        f"+44 7700 900{rng.randint(0, 999):03d}",
        f"(0161) 496 {rng.randint(0, 9999):04d}",
        f"0117 496 {rng.randint(0, 9999):04d}",
        f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
    ])


def postcode():
    area = rng.choice(["LS", "M", "B", "SW", "NE", "G", "CF", "BT", "EH", "BS", "L", "S", "NW", "E", "OX", "YO"])
    district = str(rng.randint(1, 19))
    inward = str(rng.randint(0, 9)) + "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
    return f"{area}{district} {inward}"


def email(g, s):
    return rng.choice([
        f"{g.lower()}.{s.lower()}@example.com",
        f"{g[0].lower()}{s.lower()}@nhs.net",
        f"{s.lower()}{rng.randint(1, 99)}@example.org",
    ]).replace("'", "").replace(" ", "")


def ni():
    p = rng.choice(["AB", "CE", "JK", "PR", "SW", "TZ", "NH", "WL", "MA", "YE"])
    d = f"{rng.randint(0, 999999):06d}"
    s = rng.choice("ABCD")
    return rng.choice([f"{p} {d[:2]} {d[2:4]} {d[4:]} {s}", f"{p}{d}{s}"])


def hospno():
    return rng.choice([f"{rng.randint(1000000, 9999999)}", f"A{rng.randint(100000, 999999)}",
                       f"RX{rng.randint(1000000, 9999999)}", f"K{rng.randint(1000000, 9999999)}"])


# ---------------------------------------------------------------- rendering
class Msg:
    def __init__(self):
        self.parts = []
        self.spans = []

    def add(self, text, kind=None):
        start = len("".join(self.parts).encode())
        self.parts.append(text)
        if kind:
            self.spans.append({"start": start, "end": start + len(text.encode()), "kind": kind})
        return self

    def text(self):
        return "".join(self.parts)


SLOT = re.compile(r"\{(\w+)\}")


def render(template, slots):
    """slots: name -> (text, kind or None)."""
    m = Msg()
    pos = 0
    for match in SLOT.finditer(template):
        m.add(template[pos:match.start()])
        text, kind = slots[match.group(1)]
        m.add(text, kind)
        pos = match.end()
    m.add(template[pos:])
    return m


def name_forms(g, s):
    """Different ways a name is written in chat, each (text, kind)."""
    return {
        "full": (f"{g} {s}", "person_name"),
        "given": (g, "person_name"),
        "sur": (s, "person_name"),
        "lower": (f"{g.lower()} {s.lower()}", "person_name"),
        "lgiven": (g.lower(), "person_name"),
        "upper_list": (f"{s.upper()}, {g}", "person_name"),
        "title_sur": (s, "person_name"),
    }


DX = ["CAP", "?PE", "NSTEMI", "AKI on CKD", "UTI + delirium", "fall ?NOF", "COPD exac", "LRTI",
      "cellulitis L leg", "DKA", "upper GI bleed", "sepsis ?source", "stroke, FAST +ve", "SBO",
      "post-op day 2 lap chole", "HF exacerbation", "hypoNa 121", "alcohol withdrawal", "PV bleed"]
TASKS = ["needs bloods", "needs a cannula", "needs his TTOs", "needs her TTOs", "for a CT head",
         "for an ECG", "needs fluids prescribed", "for repeat gas", "needs a catheter", "for discharge",
         "needs a review", "needs obs", "for the MDT", "needs a swallow assessment"]

POSITIVE = [
    "Bay {bay}: {full}, {age}{sex}, {dx} - {task}",
    "{full} in bay {bay} {task}",
    "{lower} in bay {bay} {task}",
    "can someone check on {lgiven} in bed {bay}? {task}",
    "{title} {title_sur} in side room {bay} {task}",
    "{title} {full}, DOB {dob}, {dx}",
    "New admission: {upper_list} ({dob}) {dx}",
    "{n}. {upper_list} ({dob}) - {dx}, {task}",
    "pt {full} NHS {nhs} for the referral",
    "NHS no {nhs} - {title} {title_sur}, {dx}",
    "NHS number {nhs}",
    "referral for {full}, NHS {nhs}, DOB {dob}",
    "CHI {chi} - {title} {title_sur} for bloods",
    "{full} CHI {chi} transferred from Glasgow",
    "H&C {hc} {full} {dx}",
    "H&C number {hc} for the NI transfer",
    "spoke to {given}'s daughter, she will ring back on {phone}",
    "{full}'s wife is on her way in",
    "NOK is {full2}, mob {phone}",
    "son {given2} on {phone} wants an update",
    "D.O.B. {dob} for the one in bay {bay}",
    "born {dob}, {dx}",
    "date of birth {dob} pls for the request form",
    "address {house} {street}, {postcode}",
    "lives at {postcode}, {dx}",
    "email the letter to {email}",
    "GP surgery {phone}, pt {full}",
    "NI number {ni} for the social work referral",
    "MRN {hosp} - {title} {title_sur}",
    "hosp no {hosp}, {dx}",
    "{given} in bed {bay} is pyrexial 38.6, {task}",
    "handover: {full} ({age}{sex}) {dx}, {task}",
    "Dr {title_sur} is the med reg tonight, bleep {bleep}",
    "ask Dr {title_sur} to review bay {bay}",
    "{lower} {task}",
    "re {full} - {task}",
    "{sur2_upper} {given2_cap} {dob2}",
    "{full} ({dob}) NHS {nhs}",
    "discussed with {title} {title_sur}'s son, happy with the plan",
    "family of {full} asking for a call back on {phone}",
]

NEGATIVE = [
    "Bay {bay} {task}",
    "bed {bay} {task}, obs stable",
    "who is holding bleep {bleep}?",
    "BP {bp}, HR {hr}, sats {sats}% on {o2}L",
    "{dx} in bay {bay}, {task}",
    "lab no {bad}, sample haemolysed, please repeat",
    "order number {bad} for the CT",
    "clinic on {recent}, letter to follow",
    "admitted {recent}, day {bay} of IV abx",
    "ward round at {time}, all bays",
    "need a {role} for bay {bay}",
    "{role} on the ward until {time}",
    "who is on call? bleep {bleep} not answering",
    "ext {ext} for pharmacy",
    "gent in bay {bay} is NEWS {news}, escalated to the {role}",
    "lady in side room {bay} is for DNACPR, family aware",
    "{negative}",
    "{negative}",
    "{negative}",
    "{negative}",
    "{negative}",
    "{negative}",
]

NEGATIVE_PHRASES = [
    "known Parkinson's, meds due at {time}",
    "Hartmann's running at 125ml/hr",
    "Foley in situ, draining well",
    "Wells score 4, CTPA requested",
    "Glasgow Coma Scale 14 (E4 V4 M6)",
    "GCS 15, Addison's on hydrocortisone",
    "Crohn's flare, started on IV hydrocortisone",
    "Cushing's query, for dexamethasone suppression test",
    "Down syndrome, baseline from carers",
    "Guillain-Barré ?, neuro to review",
    "Hodgkin lymphoma on chemo, neutropenic",
    "Bell's palsy, started on pred",
    "transferred to James Cook for PCI",
    "Florence Nightingale ward has 2 beds",
    "sent over to St Thomas' for the angio",
    "Addenbrooke's have accepted",
    "Alder Hey are sending the retrieval team",
    "bed on Seacole ward after 2pm",
    "Will do",
    "will do, thanks",
    "May I ask who has the keys to the CD cupboard?",
    "temp rose to 39.2 overnight",
    "Rose to 38.9 at 4am",
    "mark the chart when given",
    "Mark the fluid balance chart please",
    "frank haematuria, 3-way catheter",
    "grace period for the rota swap ends Friday",
    "brown sputum, sent for MC&S",
    "pat dry and apply the dressing",
    "bill the agency for the extra shift",
    "the family said they may sue",
    "Can you sign the bill for the taxi",
    "the reg says hold the apixaban",
    "SHO to clerk bay 3",
    "F1 to do the TTOs",
    "charge nurse aware",
    "HCA to do obs at 6",
    "Matron doing the rounds at 11",
    "BP 120/80, HR 72, sats 97% RA",
    "Hb 84, plt 120, CRP 245",
    "K+ 6.1, repeat gas please",
    "gent in 4 had 2 units O neg",
    "paracetamol 1g QDS PRN, max 4g/24h",
    "enoxaparin 40mg OD",
    "5/7 of co-amox then review",
    "NEWS 5 escalated",
    "ok",
    "thanks all",
    "huddle at 2",
    "any beds on AMU?",
    "Jersey Royal potatoes in the canteen today",
    "Easter bank holiday rota is up",
    "Christmas party on the 19th, who's in?",
    "Sunday lunch anyone?",
    "is the Doppler machine back from Ward 9?",
    "Swan-Ganz was pulled out",
    "Apgar 9 and 10",
    "Valsalva manoeuvre didn't work, adenosine given",
    "Murphy's sign positive, for USS",
    "Ryle's tube on free drainage",
    "Mallory-Weiss tear likely",
    "Barrett's oesophagus on surveillance",
    "Graves disease, on carbimazole",
    "Turner syndrome noted in notes",
    "Marfan's, for echo",
    "Baker's cyst on the USS",
    "Colles fracture, in a cast",
    "Raynaud's, hands cold",
    "Alzheimer's dementia, lacks capacity",
    "Kawasaki ?, paeds aware",
    "Christmas disease, haem aware",
    "the Macmillan nurse will visit tomorrow",
    "Marie Curie nurse overnight",
    "referral to Sue Ryder hospice",
    "Victoria ward is closed for norovirus",
    "James Paget have a bed",
    "Queen Elizabeth Hospital Birmingham accepted",
    "Princess Royal is on divert",
    "John Radcliffe for the neuro input",
    "King George ED is full",
    "William Harvey rang about the transfer",
    "Frimley Park ITU",
    "Stepping Hill have no beds",
    "Royal Victoria Infirmary sent the notes",
    "Mary Seacole ward huddle",
    "Lister ward at 3pm",
    "Nightingale ward bay 2",
    "hi all, can someone cover my Saturday?",
    "I'm running 10 min late",
    "rota for December is out",
    "parking permits renewal due",
    "who left their lunch in the fridge",
    "lol",
    "👍",
    "Great job today team!",
    "patient in bay {bay} keeps pulling out cannula",
    "he says the pain is 7/10",
    "she is for home today if OT happy",
    "wife visiting at 2",
    "daughter aware and happy",
    "son will bring clothes",
    "spoke to the daughter, all fine",
    "Fluids: 1L NaCl 0.9% over 8h",
    "insulin sliding scale running",
    "CT head NAD",
    "CXR clear, ECG sinus",
    "the lab rang with a K of 6.5 (ref 25H0123456)",
    "accession number 4471839205 for the blood culture",
    "sample ID 7719306642, please relabel",
    "order 5512340987 cancelled",
    "x-ray request 3392017745",
    "bleep 1234",
    "bleep 4471 or ext 5566",
    "pager 07623 if urgent",
    "clinic 14/03/2026",
    "OPA booked for 03/06/2026",
    "seen in clinic 12 March",
    "TCI 21/11",
    "admission date 02/11/25",
    "follow up in 6/52",
    "discharged 28.10.2026",
    "scan booked 2026-01-14",
    "Dose 2.5mg, review on 01/12",
    "Hba1c 58 on 03/09/2026",
    "Parkinson's meds are time critical",
    "Addisonian crisis protocol",
    "hand over to the night team",
    "Dr on call aware",
    "the consultant is happy",
    "Glasgow criteria 3",
    "CURB-65 of 2",
    "Rockall 4, for OGD",
    "Child-Pugh B",
    "Braden score 12",
    "Waterlow 18",
    "Barthel 45",
    "Epworth 14",
    "Gleason 7",
    "Bristol stool type 7",
    "Dix-Hallpike positive",
    "Epley manoeuvre done",
    "Trendelenburg position",
    "Seldinger technique",
    "Hickman line flushed",
    "PICC line in",
    "Tegaderm changed",
    "Yankauer sucker",
    "Guedel in",
    "Venflon tissued",
]


def sex_age():
    return str(rng.randint(18, 99)), rng.choice(["M", "F", "F", "M", "yo M", "yo F"])


def positive_message(template):
    g, s = person()
    g2, s2 = person()
    forms = name_forms(g, s)
    if rng.random() < 0.15:
        forms["lower"] = (f"{g.lower()} {s.lower()}", "person_name")
    age, sex = sex_age()
    slots = dict(forms)
    slots.update({
        "bay": (str(rng.randint(1, 12)), None),
        "age": (age, None),
        "sex": (sex, None),
        "dx": (rng.choice(DX), None),
        "task": (rng.choice(TASKS), None),
        "title": (rng.choice(TITLES), None),
        "dob": (dob_value(), "date_of_birth"),
        "dob2": (dob_value(), "date_of_birth"),
        "n": (str(rng.randint(1, 20)), None),
        "nhs": (nhs(), "nhs_number"),
        "chi": (chi(), "chi_number"),
        "hc": (hc(), "hc_number"),
        "phone": (phone(), "phone_number"),
        "full2": (f"{g2} {s2}", "person_name"),
        "given2": (g2, "person_name"),
        "given2_cap": (g2, "person_name"),
        "sur2_upper": (s2.upper(), "person_name"),
        "house": (str(rng.randint(1, 120)), None),
        "street": (rng.choice(["Acacia Avenue", "Mill Lane", "Station Road", "Church Street", "Park View"]), None),
        "postcode": (postcode(), "postcode"),
        "email": (email(g, s), "email"),
        "ni": (ni(), "ni_number"),
        "hosp": (hospno(), "hospital_number"),
        "bleep": (str(rng.randint(1000, 9999)), None),
    })
    m = render(template, slots)
    # "SURNAME Given" written as one name
    merged = []
    for sp in m.spans:
        if merged and sp["kind"] == "person_name" and merged[-1]["kind"] == "person_name" and \
                sp["start"] - merged[-1]["end"] == 1:
            merged[-1]["end"] = sp["end"]
        else:
            merged.append(sp)
    m.spans = merged
    return m


def negative_message(template):
    slots = {
        "bay": (str(rng.randint(1, 12)), None),
        "task": (rng.choice(TASKS), None),
        "bleep": (str(rng.randint(1000, 9999)), None),
        "bp": (f"{rng.randint(90, 180)}/{rng.randint(50, 100)}", None),
        "hr": (str(rng.randint(50, 130)), None),
        "sats": (str(rng.randint(88, 100)), None),
        "o2": (str(rng.randint(1, 6)), None),
        "dx": (rng.choice(DX), None),
        "bad": (bad_ten(), None),
        "recent": (recent_date(), None),
        "time": (rng.choice(["2pm", "14:00", "0800", "9.30", "midnight", "10am"]), None),
        "role": (rng.choice(["reg", "SHO", "F1", "CT2", "ANP", "physio", "OT", "SALT", "HCA", "porter", "matron"]), None),
        "ext": (str(rng.randint(2000, 6999)), None),
        "news": (str(rng.randint(0, 9)), None),
    }
    if template == "{negative}":
        phrase = rng.choice(NEGATIVE_PHRASES)
        return render(phrase, slots)
    return render(template, slots)


CODES = {
    "name": "person_name", "nhs": "nhs_number", "chi": "chi_number", "hc": "hc_number",
    "dob": "date_of_birth", "date": "date", "pc": "postcode", "phone": "phone_number",
    "email": "email", "ni": "ni_number", "hosp": "hospital_number",
}
MARK = re.compile(r"\[\[(\w+)\|(.+?)\]\]")


def handwritten():
    """Parses handwritten.txt: [[kind|text]] marks an identifier, a literal \\n a line break."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "handwritten.txt")
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        line = line.replace("\\n", "\n")
        m = Msg()
        pos = 0
        for mark in MARK.finditer(line):
            m.add(line[pos:mark.start()])
            m.add(mark.group(2), CODES[mark.group(1)])
            pos = mark.end()
        m.add(line[pos:])
        out.append(m)
    return out


def check_numbers(messages):
    """Marked NHS-family numbers must pass modulus 11; unmarked 10-digit runs must not."""
    for m in messages:
        b = m.text().encode()
        marked = [(s["start"], s["end"]) for s in m.spans]
        for s in m.spans:
            if s["kind"] in ("nhs_number", "chi_number", "hc_number"):
                digits = re.sub(r"\D", "", b[s["start"]:s["end"]].decode())
                assert check_digit(digits[:9]) == int(digits[9]), m.text()
        for run in re.finditer(rb"(?<!\d)\d{10}(?!\d)", b):
            if not any(a <= run.start() < e for a, e in marked):
                assert check_digit(run.group()[:9].decode()) != int(run.group()[9:10]), m.text()


def main():
    out = []
    seen = set()
    while len(out) < 360:
        m = positive_message(rng.choice(POSITIVE))
        if m.text() in seen:
            continue
        seen.add(m.text())
        out.append(m)
    # every hand-written negative phrase once, then templated negatives
    for phrase in NEGATIVE_PHRASES:
        m = negative_message(phrase)
        if m.text() not in seen:
            seen.add(m.text())
            out.append(m)
    while len(out) < 680:
        m = negative_message(rng.choice(NEGATIVE[:16]))
        if m.text() in seen:
            continue
        seen.add(m.text())
        out.append(m)
    # multi-line handovers: join three random messages
    for _ in range(40):
        parts = [rng.choice(out) for _ in range(3)]
        m = Msg()
        for i, p in enumerate(parts):
            if i:
                m.add("\n")
            base = len(m.text().encode())
            m.add(p.text())
            for sp in p.spans:
                m.spans.append({"start": sp["start"] + base, "end": sp["end"] + base, "kind": sp["kind"]})
        out.append(m)
    out.extend(handwritten())
    check_numbers(out)
    rng.shuffle(out)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ward_chat.jsonl")
    if "--out" in sys.argv:
        path = sys.argv[sys.argv.index("--out") + 1]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for i, m in enumerate(out, 1):
            f.write(json.dumps({"id": i, "text": m.text(), "spans": m.spans}, ensure_ascii=False) + "\n")
    pos = sum(1 for m in out if m.spans)
    print(f"wrote {path}: {len(out)} messages, {pos} with identifiers")


if __name__ == "__main__":
    main()
