"""The optional sign-in: on only when the secrets have an [auth] section, closed when unreadable,
and then no page opens before the visitor has signed in."""

from __future__ import annotations

import pytest
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from core.i18n import EN
from tests.app.apptest import APP
from ui import server
from ui.server import LoginSettingsUnreadable, login_providers

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret",
    "client_id": "fake-client",
    "client_secret": "fake-secret",
    "server_metadata_url": "https://id.example.test/.well-known/openid-configuration",
}


def _secrets_from(tmp_path, text: str | None) -> tuple[Secrets, str]:
    path = tmp_path / "secrets.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return Secrets(), str(path)


def _providers(tmp_path, text: str | None):
    secrets, path = _secrets_from(tmp_path, text)
    with patch_config_options({"secrets.files": [path]}):
        return login_providers(secrets)


def test_no_secrets_file_means_no_login(tmp_path):
    assert _providers(tmp_path, None) is None


def test_secrets_without_auth_mean_no_login(tmp_path):
    assert _providers(tmp_path, 'api_key = "x"\n') is None


def test_one_provider_in_auth_itself(tmp_path):
    text = "[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in AUTH.items())
    assert _providers(tmp_path, text) == [None]


def test_named_providers_are_the_sub_tables_with_a_client(tmp_path):
    shared = {k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}
    client = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    text = (
        "[auth]\n"
        + "".join(f'{k} = "{v}"\n' for k, v in shared.items())
        + "[auth.google]\n"
        + "".join(f'{k} = "{v}"\n' for k, v in client.items())
        + "[auth.microsoft]\n"
        + "".join(f'{k} = "{v}"\n' for k, v in client.items())
        + "[auth.client_kwargs]\n"
        + 'prompt = "login"\n'
    )
    assert _providers(tmp_path, text) == ["google", "microsoft"]


def test_a_secrets_file_that_cannot_be_read_keeps_the_app_closed(tmp_path):
    # Streamlit reads a broken file as "no secrets", which would mean "no login".
    with pytest.raises(LoginSettingsUnreadable):
        _providers(tmp_path, '[auth]\nclient_id = "unterminated\n')


# The app itself, through AppTest. `at.secrets` stands in for secrets.toml and `at.user`
# for what Streamlit knows of the visitor after the provider's redirect; the redirect
# itself (st.login, Authlib, the provider) cannot run here and is Streamlit's own.

PAGES = ("app_pages/overview.py", "app_pages/upload.py", "app_pages/segmentation.py")


def _app(secrets: dict | None, user: dict, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["lang"] = "en"
    if secrets:
        at.secrets.update(secrets)
    at.user = user
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in (*at.title, *at.markdown, *at.caption, *at.error)]


@pytest.fixture
def authlib_installed(monkeypatch):
    monkeypatch.setattr(server, "login_available", lambda: True)


@pytest.mark.parametrize("page", PAGES)
def test_with_login_on_no_page_opens_before_sign_in(page, authlib_installed):
    at = _app({"auth": AUTH}, {"is_logged_in": False}, page)

    assert [t.value for t in at.title] == [EN["login.title"]]
    assert [b.label for b in at.button] == [EN["login.button"]]
    texts = " ".join(_texts(at))
    assert EN["sidebar.data_title"] not in texts  # not even which tables are loaded
    assert not at.metric and not at.dataframe and not at.tabs


def test_each_named_provider_gets_its_button(authlib_installed):
    shared = {k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}
    client = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    secrets = {"auth": {**shared, "google": client, "okta": client}}

    at = _app(secrets, {"is_logged_in": False})

    assert [b.label for b in at.button] == [
        EN["login.button_provider"].format(provider="google"),
        EN["login.button_provider"].format(provider="okta"),
    ]


def test_without_authlib_the_screen_says_so_and_stays_closed(monkeypatch):
    monkeypatch.setattr(server, "login_available", lambda: False)

    at = _app({"auth": AUTH}, {"is_logged_in": False}, "app_pages/overview.py")

    assert [e.value for e in at.error] == [EN["login.needs_authlib"]]
    assert not at.button and not at.metric


def test_signed_in_the_pages_open_with_a_sign_out_button(authlib_installed):
    at = _app({"auth": AUTH}, {"is_logged_in": True, "name": "Ana Li"})

    assert at.title[0].value == EN["overview.title"]
    assert len(at.metric) == 6
    assert EN["login.signed_in_as"].format(name="Ana Li") in _texts(at)
    assert EN["login.logout"] in [b.label for b in at.sidebar.button]


def test_with_login_off_everything_opens_as_before():
    # No secrets file: st.user is never asked, the default user dict has no login flag.
    at = _app(None, {"email": "test@example.com"})

    assert at.title[0].value == EN["overview.title"]
    assert len(at.metric) == 6
    assert EN["login.title"] not in _texts(at)


def test_an_unreadable_secrets_file_keeps_every_page_closed(tmp_path):
    broken = tmp_path / "secrets.toml"
    broken.write_text('[auth]\nclient_id = "unterminated\n', encoding="utf-8")

    with patch_config_options({"secrets.files": [str(broken)]}):
        at = _app(None, {"email": "test@example.com"}, "app_pages/overview.py")

    assert [e.value for e in at.error] == [EN["login.settings_unreadable"]]
    assert not at.title and not at.metric
