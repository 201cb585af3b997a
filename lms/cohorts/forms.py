"""Forms of training events."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, StringField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

from lms.accounts.forms import REQUIRED, CheckboxListField, kecamatan_field


class LocalDateField(DateField):
    """A date field whose parse error speaks Bahasa Indonesia."""

    def process_formdata(self, valuelist: list) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Tanggal tidak sah. Tulis seperti 2026-06-15.")) from error


class EventForm(FlaskForm):
    name = StringField(
        _l("Nama acara"),
        validators=[
            DataRequired(REQUIRED),
            Length(3, 160, message=_l("Nama 3 sampai 160 karakter.")),
        ],
    )
    place = StringField(
        _l("Tempat"),
        validators=[
            DataRequired(REQUIRED),
            Length(2, 160, message=_l("Tempat 2 sampai 160 karakter.")),
        ],
    )
    kecamatan_code = kecamatan_field()
    starts_on = LocalDateField(_l("Tanggal mulai"), validators=[InputRequired(REQUIRED)])
    ends_on = LocalDateField(_l("Tanggal selesai"), validators=[InputRequired(REQUIRED)])
    unit_codes = CheckboxListField(_l("Unit yang dibahas"), validate_choice=False)

    def validate_unit_codes(self, field: CheckboxListField) -> None:
        allowed = {choice.value for choice in field.choices}
        if not field.data or not set(field.data) <= allowed:
            raise ValidationError(_l("Pilih minimal satu unit."))


class JoinForm(FlaskForm):
    code = StringField(
        _l("Kode acara"),
        validators=[DataRequired(REQUIRED), Length(max=20, message=_l("Kode terlalu panjang."))],
        description=_l("Enam huruf/angka dari pelatih, misalnya K7M2QX."),
        render_kw={"autocapitalize": "characters", "autocomplete": "off"},
    )


class CsvForm(FlaskForm):
    file = FileField(_l("Berkas CSV nomor HP"))
