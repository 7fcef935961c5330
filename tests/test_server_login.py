"""The optional sign-in: on only when the secrets have an [auth] section, closed when unreadable."""

from __future__ import annotations

import pytest
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1.util import patch_config_options

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
