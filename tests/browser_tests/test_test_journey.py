"""Taking a competency test in Chromium at 360 px: without JavaScript, and offline and back."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.assessment.models import Attempt, AttemptQuestion
from lms.extensions import db
from tests.browser import PHONE_VIEWPORT, screenshot
from tests.browser_tests.test_account_journeys import sign_in
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.app_config(WTF_CSRF_ENABLED=True)]


def answer(page, position: int) -> None:
    """Give some answer to question `position`, whatever its type."""
    box = page.locator(f"#soal-{position}")
    if box.locator("input[type=radio]").count() or box.locator("input[type=checkbox]").count():
        box.locator("label.choice").first.click()
    elif box.locator("select").count():
        for index in range(box.locator("select").count()):
            box.locator("select").nth(index).select_option(index=1)
    else:
        box.locator("input[type=text]").fill("19")


def saved_positions(app, attempt_id: int) -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(
                sa.select(AttemptQuestion.position).where(
                    AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.response.is_not(None)
                )
            )
        )


def start_test(page) -> None:
    """Start the BKB test and wait until the test page and its script have loaded.

    Going offline before then would stop the deferred script from ever arriving."""
    page.goto("/uji/bkb")
    page.get_by_role("button", name="Mulai uji").click()
    page.wait_for_url("**/uji/percobaan/*")
    page.wait_for_load_state("load")


def only_attempt_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Attempt.id))


def test_whole_test_without_javascript(browser, live_server, app, curriculum, database_backend):
    kader = make_user(app, full_name="Yuli Astuti")
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, base_url=live_server, java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, kader.phone, "kaderhebat24")
    page.goto("/uji/bkb")
    page.get_by_role("button", name="Mulai uji").click()
    assert page.get_by_text("Halaman 1 dari 4").is_visible()
    for position in range(1, 6):
        answer(page, position)
    screenshot(page, f"test-page-nojs-{database_backend}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Berikutnya").click()
    assert page.get_by_text("Halaman 2 dari 4").is_visible()
    assert saved_positions(app, only_attempt_id(app)) == {1, 2, 3, 4, 5}
    page.get_by_role("button", name="Selesai, periksa lalu kirim").click()
    assert page.get_by_text("15 soal belum dijawab").is_visible()
    screenshot(page, f"test-confirm-{database_backend}")
    page.get_by_role("button", name="Kirim jawaban sekarang").click()
    assert page.get_by_role("heading", name="Hasil uji").is_visible()
    assert page.get_by_text("BELUM LULUS").is_visible()
    screenshot(page, f"test-result-{database_backend}")
    context.close()


def test_answers_saved_offline_are_sent_when_back_online(page, app, curriculum, database_backend):
    kader = make_user(app, full_name="Rosmini")
    sign_in(page, kader.phone, "kaderhebat24")
    start_test(page)
    attempt_id = only_attempt_id(app)
    state = lambda position: page.locator(f"#soal-{position} .save-state")  # noqa: E731

    answer(page, 1)
    state(1).filter(has_text="Tersimpan").wait_for()
    assert saved_positions(app, attempt_id) == {1}

    page.context.set_offline(True)
    answer(page, 2)
    state(2).filter(has_text="Belum terkirim").wait_for()
    assert page.locator("#koneksi").is_visible()
    screenshot(page, f"test-offline-{database_backend}")
    assert saved_positions(app, attempt_id) == {1}

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    state(2).filter(has_text="Tersimpan").wait_for()
    assert saved_positions(app, attempt_id) == {1, 2}


def test_answer_queued_when_the_page_closes_offline_is_sent_later(page, app, curriculum):
    kader = make_user(app, full_name="Hartini")
    sign_in(page, kader.phone, "kaderhebat24")
    start_test(page)
    attempt_id = only_attempt_id(app)
    url = page.url
    page.context.set_offline(True)
    answer(page, 3)
    page.locator("#soal-3 .save-state").filter(has_text="Belum terkirim").wait_for()
    page.close()  # the phone dies while offline
    assert saved_positions(app, attempt_id) == set()

    later = page.context.new_page()
    page.context.set_offline(False)
    later.goto(url)
    later.locator("#soal-3 .save-state").filter(has_text="Tersimpan").wait_for()
    assert saved_positions(app, attempt_id) == {3}
