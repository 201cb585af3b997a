"""Account forms. Messages are Bahasa Indonesia msgids, translated through the catalogue."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    ValidationError,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from lms.accounts.models import Poktan, Role
from lms.accounts.passwords import password_problem
from lms.accounts.phone import normalise_phone
from lms.accounts.services import password_problem_message
from lms.reference.regions import kecamatan

REQUIRED = _l("Wajib diisi.")


class PhoneField(StringField):
    """A mobile number; `data` is the normalised +62 form once validated."""

    raw_text = ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        self.raw_text = self.data or ""

    def pre_validate(self, form: Any) -> None:
        if not self.raw_text.strip():
            return
        normalised = normalise_phone(self.raw_text)
        if normalised is None:
            raise ValidationError(
                _l("Nomor HP tidak dikenali. Tulis seperti 0812-3456-7890 atau +62 812 3456 7890.")
            )
        self.data = normalised

    def _value(self) -> str:
        # Show back what the user typed, not the stored form.
        return self.raw_text or super()._value()


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _in_kutai_timur(_form: object, field: SelectField) -> None:
    if field.data not in kecamatan():
        raise ValidationError(_l("Pilih kecamatan dari daftar Kabupaten Kutai Timur."))


def kecamatan_field(*validators: Any) -> SelectField:
    """A choice of the kecamatan of Kutai Timur (the list is data, so it is checked here)."""
    return SelectField(
        _l("Kecamatan"),
        choices=kecamatan_choices,
        validators=[*validators, _in_kutai_timur],
        validate_choice=False,
    )


def kecamatan_choices() -> list[SelectChoice]:
    options = [SelectChoice(code, name) for code, name in kecamatan().items()]
    return [SelectChoice("", _l("— Pilih kecamatan —")), *options]


def _phone_field() -> PhoneField:
    return PhoneField(
        _l("Nomor HP"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=24, message=_l("Nomor HP terlalu panjang.")),
        ],
        render_kw={"inputmode": "tel", "autocomplete": "tel"},
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    new = PasswordField(
        _l("Kata sandi baru"),
        validators=[InputRequired(REQUIRED)],
        description=_l("Minimal 8 karakter, berisi huruf dan angka."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[
            InputRequired(REQUIRED),
            EqualTo("new_password", message=_l("Kedua kata sandi tidak sama.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return new, confirm


class RegistrationForm(FlaskForm):
    full_name = StringField(
        _l("Nama lengkap"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=3, max=120, message=_l("Nama lengkap 3 sampai 120 karakter.")),
        ],
        description=_l("Sesuai KTP; nama ini tercetak di sertifikat."),
        render_kw={"autocomplete": "name"},
    )
    phone = _phone_field()
    kecamatan_code = kecamatan_field(DataRequired(REQUIRED))
    desa = StringField(
        _l("Desa/Kelurahan"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=2, max=120, message=_l("Nama desa/kelurahan 2 sampai 120 karakter.")),
        ],
    )
    poktan = CheckboxListField(
        _l("Poktan yang Anda layani"),
        choices=[SelectChoice(p.value) for p in Poktan],
        description=_l("Pilih satu atau lebih."),
        validate_choice=False,
    )
    new_password, new_password_confirm = _new_password_fields()
    submit = SubmitField(_l("Daftar"))

    def validate_new_password(self, field: PasswordField) -> None:
        # Checked here as well as in the service, so every problem of the form shows at once.
        phone = self.phone.data if (self.phone.data or "").startswith("+62") else None
        problem = password_problem(field.data or "", phone)
        if problem is not None:
            raise ValidationError(password_problem_message(problem))

    def validate_poktan(self, field: SelectMultipleField) -> None:
        allowed = {p.value for p in Poktan}
        if not field.data:
            raise ValidationError(_l("Pilih minimal satu poktan."))
        if not set(field.data) <= allowed:
            raise ValidationError(_l("Pilih poktan dari daftar."))


class LoginForm(FlaskForm):
    phone = _phone_field()
    password = PasswordField(
        _l("Kata sandi"),
        validators=[InputRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Masuk"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Kata sandi saat ini"),
        validators=[InputRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password, new_password_confirm = _new_password_fields()
    submit = SubmitField(_l("Simpan kata sandi baru"))


class ResetWithCodeForm(FlaskForm):
    phone = _phone_field()
    code = StringField(
        _l("Kode reset"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=20, message=_l("Kode reset terlalu panjang.")),
        ],
        description=_l("Kode 8 huruf/angka dari pelatih, misalnya 7Q4M-2XHD."),
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters"},
    )
    new_password, new_password_confirm = _new_password_fields()
    submit = SubmitField(_l("Atur kata sandi baru"))


class StaffAccountForm(FlaskForm):
    full_name = StringField(
        _l("Nama lengkap"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=3, max=120, message=_l("Nama lengkap 3 sampai 120 karakter.")),
        ],
    )
    phone = _phone_field()
    role = SelectField(
        _l("Peran"),
        choices=[
            SelectChoice(Role.PELATIH.value, _l("Pelatih")),
            SelectChoice(Role.ADMIN.value, _l("Admin DPPKB")),
        ],
        validate_choice=False,
    )
    unit_codes = CheckboxListField(
        _l("Unit yang dapat disunting"),
        description=_l("Untuk pelatih. Admin dapat menyunting semua unit."),
        validate_choice=False,
    )
    submit = SubmitField(_l("Buat akun"))

    def validate_role(self, field: SelectField) -> None:
        if field.data not in (Role.PELATIH.value, Role.ADMIN.value):
            raise ValidationError(_l("Pilih peran pelatih atau admin."))

    def validate_unit_codes(self, field: CheckboxListField) -> None:
        known = {choice[0] for choice in field.choices or []}
        if any(code not in known for code in field.data or []):
            raise ValidationError(_l("Pilih unit dari daftar."))


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token travels with it."""

    submit = SubmitField(_l("Lanjutkan"))
