"""Every study page of the bundled curriculum fits the 50 KB / 5 request first-view budget."""

from __future__ import annotations

import pytest

from lms.config import REPO_ROOT
from tests.test_page_budget import BUDGET_BYTES, BUDGET_REQUESTS, first_view


@pytest.mark.backends("sqlite")
def test_every_page_of_every_unit_within_budget(app, client, auth, kader):
    result = app.test_cli_runner().invoke(args=["content", "sync", str(REPO_ROOT)])
    assert result.exit_code == 0, result.output
    auth.login(kader.phone)
    from lms.study.progress import study_overview

    with app.test_request_context():
        from lms.accounts.models import User
        from lms.extensions import db

        units = study_overview(db.session.get(User, kader.id))
        paths = ["/", "/belajar/"]
        for progress in units:
            paths.append(f"/belajar/{progress.unit.code}")
            paths += [f"/belajar/{progress.unit.code}/{e.lesson.key}" for e in progress.lessons]
    assert len(paths) == 2 + 5 + 33
    for path in paths:
        size, requests = first_view(client, path)
        assert size <= BUDGET_BYTES and requests <= BUDGET_REQUESTS, (path, size, requests)
