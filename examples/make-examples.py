#!/usr/bin/env python3
"""Writes the bundled synthetic exports (every name, number and address is invented;
NHS numbers are valid-checksum test numbers, phone numbers are Ofcom drama numbers).

    python3 examples/make-examples.py

- whatsapp-ward-group.txt: an Android export (UK locale) of a ward nurses' group.
- WhatsApp Chat - Ward 7 Nurses.zip: the same kind of chat as iOS exports it
  (`_chat.txt` with CRLF and invisible marks, plus two media files).
"""
import os
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
LRM, NNBSP, NBSP = "\u200e", "\u202f", "\u00a0"
LRE, PDF, FSI, PDI = "\u202a", "\u202c", "\u2068", "\u2069"

android = [
    "14/03/2024, 07:02 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
    "14/03/2024, 07:02 - Sister Okafor created group \"Ward 7 Nurses\"",
    "14/03/2024, 07:02 - Sister Okafor added Tom Reilly, Priya Nair and Grace Mensah",
    "14/03/2024, 07:15 - Sister Okafor: Morning all, handover in the office at 7:30 please",
    "14/03/2024, 07:16 - Tom Reilly: Will do",
    "14/03/2024, 07:41 - Priya Nair: Bed 4 is Margaret Holloway, NHS 443 464 0976, for discharge today once TTOs are back",
    "14/03/2024, 07:43 - Grace Mensah: Bed 9 needs a falls review",
    "He was found on the floor at 03:00, no head injury",
    "obs stable, NEWS 1",
    "14/03/2024, 07:44 - Sister Okafor: Thanks Grace. Please use Nervecentre for clinical details, not this group",
    f"14/03/2024, 08:05 - {LRE}+44{NBSP}7700{NBSP}900981{PDF}: <Media omitted>",
    "14/03/2024, 08:06 - Tom Reilly: IMG-20240314-WA0007.jpg (file attached)",
    "drug chart for bay 2",
    "14/03/2024, 08:10 - Priya Nair: This message was deleted",
    "14/03/2024, 08:12 - Priya Nair: Daughter of bed 4 called, her number is 07700 900456, wants a call back after 2",
    "14/03/2024, 09:30 - Tom Reilly: Discharge letter Margaret Holloway.pdf (file attached)",
    f"14/03/2024, 09:31 - Sister Okafor: @{FSI}Tom Reilly{PDI} please don't post letters here, send via NHSmail <This message was edited>",
    "14/03/2024, 10:02 - Grace Mensah: New admission to bed 12 from ED, DOB 02/11/1947, lives at 14 Larch Road, LS6 2QT",
    "14/03/2024, 10:03 - Grace Mensah: Parkinson's, on Madopar, needs meds on time",
    "14/03/2024, 10:20 - Sister Okafor changed the subject from \"Ward 7 Nurses\" to \"Ward 7 Nurses (no patient details)\"",
    f"14/03/2024, 10:21 - ~{NNBSP}Bank HCA joined using this group's invite link",
    "14/03/2024, 11:45 - Tom Reilly: Who is on the Florence Nightingale ward swap tomorrow?",
    "14/03/2024, 11:46 - Priya Nair: I am",
    "14/03/2024, 13:10 - Grace Mensah: Bed 12 hospital number RXF1234567 for the pharmacy request",
    "14/03/2024, 16:55 - Sister Okafor: Thanks everyone, good shift",
    "14/03/2024, 17:02 - Tom Reilly left",
]
with open(os.path.join(here, "whatsapp-ward-group.txt"), "w", encoding="utf-8", newline="\n") as f:
    f.write("\n".join(android) + "\n")

ios = [
    f"[14/03/2024, 07:02:11] Ward 7 Nurses: {LRM}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
    f"[14/03/2024, 07:02:11] Ward 7 Nurses: {LRM}Sister Okafor created this group",
    f"[14/03/2024, 07:02:12] {LRM}Sister Okafor added Priya Nair",
    "[14/03/2024, 07:41:03] Priya Nair: Bed 4 Margaret Holloway",
    "NHS 443 464 0976",
    "discharge today",
    f"[14/03/2024, 08:05:40] {LRE}+44{NBSP}7700{NBSP}900981{PDF}: {LRM}<attached: 00000012-PHOTO-2024-03-14-08-05-40.jpg>",
    f"[14/03/2024, 09:30:00] Tom Reilly: {LRM}<attached: 00000013-Discharge letter Margaret Holloway.pdf>",
    f"[14/03/2024, 09:31:00] Sister Okafor: Please use NHSmail for letters {LRM}<This message was edited>",
    f"[14/03/2024, 10:02:00] ~{NNBSP}Bank HCA: {LRM}image omitted",
    "[14/03/2024, 16:55:00] Sister Okafor: Thanks everyone",
]
zpath = os.path.join(here, "WhatsApp Chat - Ward 7 Nurses.zip")
with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
    def add(name, data):
        info = zipfile.ZipInfo(name, date_time=(2024, 3, 14, 17, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
    add("_chat.txt", ("\r\n".join(ios) + "\r\n").encode("utf-8"))
    add("00000012-PHOTO-2024-03-14-08-05-40.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00synthetic")
    add("00000013-Discharge letter Margaret Holloway.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n\x00synthetic")
