"""A quiz with more parties than the audit simulates (62): the editor's quiz, audit and
publish pages say so in words (200, never a 500), and publishing needs a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.fuzzing import many_party_quiz
from valgomat.content import lifecycle

NOTICE = "The audit cannot simulate more than 62 parties"
REASON = "Every list on the ballot is in; the audit cannot simulate this many."


@pytest.mark.parametrize("parties", [63, 70])
def test_editor_pages_of_a_quiz_beyond_the_audit_say_so(
        loaded_app: Flask, admin_client: FlaskClient, tmp_path: Path, parties: int) -> None:
    with loaded_app.app_context():
        lifecycle.load_content(many_party_quiz(tmp_path / "many", parties))
    for page in ("", "audit", "publish"):
        response = admin_client.get(f"/editor/quizzes/skewed/{page}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200, (page, response.status_code)
        assert NOTICE in html and f"this draft has {parties}" in html, page
    publish = admin_client.get("/editor/quizzes/skewed/publish").get_data(as_text=True)
    assert "The publish gate refuses this draft" in publish and 'name="reason"' in publish
    refused = admin_client.post("/editor/quizzes/skewed/publish",
                                data={"confirm": "y", "published_version": "0"})
    assert refused.status_code == 400 and NOTICE in refused.get_data(as_text=True)
    published = admin_client.post("/editor/quizzes/skewed/publish",
                                  data={"reason": REASON, "published_version": "0"})
    assert published.status_code == 302
    result = admin_client.get("/en/skewed/result?v=1&a=cacb")
    assert result.status_code == 200 and f"List {parties - 4}" in result.get_data(as_text=True)
