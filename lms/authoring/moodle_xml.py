"""Moodle XML question files: import and export (pure: standard library only).

BinaKader's difficulty and objective travel as Moodle tags ("difficulty:sulit",
"objective:bkb-kka"), the key as the question's <idnumber> and, for Moodle, also as its <name>.

The work is done in:

- lms/authoring/moodle_xml_file.py: the bytes read into an element tree, refusing what is unsafe;
- lms/authoring/moodle_xml_import.py: the tree's questions read into BinaKader's;
- lms/authoring/moodle_xml_export.py: questions written as a file.
"""

from __future__ import annotations

from lms.authoring import moodle_xml_export, moodle_xml_import

__all__ = ["export_moodle_xml", "parse_moodle_xml"]

parse_moodle_xml = moodle_xml_import.parse_moodle_xml
export_moodle_xml = moodle_xml_export.export_moodle_xml
