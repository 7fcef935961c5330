"""Customer Lens: the router. Sign-in when set up, navigation, language switch and data status;
pages do the rest."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.format import fmt_count
from core.i18n import LANGUAGES
from core.schema import TABLE_KINDS
from ui.common import (
    CAMPAIGN_PAGE,
    CLV_PAGE,
    CROSSSELL_PAGE,
    OVERVIEW_PAGE,
    QUALITY_PAGE,
    RETENTION_PAGE,
    SEGMENTATION_PAGE,
    UPLOAD_PAGE,
    VOC_PAGE,
    plain,
    relabel_widgets,
    start_housekeeping,
    tr,
)
from ui.server import LoginSettingsUnreadable, harden_process, login_available, login_providers
from ui.state import loaded_tables, reset_to_demo, using_demo

harden_process()
start_housekeeping()

# A local icon: a Material icon here makes every browser fetch the favicon from Google's servers.
ICON = Path(__file__).resolve().parent / "assets" / "icon.png"
st.set_page_config(page_title="Customer Lens", page_icon=str(ICON), layout="wide")

if "lang" not in st.session_state:
    # A link can open the app in a language: ?lang=zh
    wanted = st.query_params.get("lang", "en")
    st.session_state["lang"] = wanted if wanted in LANGUAGES else "en"

with st.sidebar:
    st.selectbox(
        "Language / 语言",
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="lang",
        on_change=relabel_widgets,
    )


def _login_gate() -> None:
    """With login on ([auth] in .streamlit/secrets.toml), nothing but this screen before sign-in."""
    try:
        providers = login_providers(st.secrets)
    except LoginSettingsUnreadable:
        st.error(tr("login.settings_unreadable"))
        st.stop()
    if providers is None:
        return
    if st.user.is_logged_in:
        with st.sidebar:
            st.caption(
                tr(
                    "login.signed_in_as",
                    name=plain(str(st.user.get("name") or st.user.get("email") or "")),
                )
            )
            st.button(tr("login.logout"), on_click=st.logout, icon=":material/logout:")
        return
    st.title(tr("login.title"))
    st.markdown(tr("login.intro"))
    if not login_available():
        st.error(tr("login.needs_authlib"))
        st.stop()
    for provider in providers:
        label = (
            tr("login.button")
            if provider is None
            else tr("login.button_provider", provider=plain(provider))
        )
        st.button(
            label,
            key=f"login_{provider}",
            on_click=st.login,
            args=() if provider is None else (provider,),
            type="primary",
        )
    st.stop()


_login_gate()

pages = {
    tr("nav.section_data"): [
        st.Page(
            UPLOAD_PAGE, title=tr("nav.upload"), icon=":material/upload_file:", url_path="upload"
        ),
        st.Page(
            QUALITY_PAGE, title=tr("nav.quality"), icon=":material/fact_check:", url_path="quality"
        ),
    ],
    tr("nav.section_analyze"): [
        st.Page(
            OVERVIEW_PAGE,
            title=tr("nav.overview"),
            icon=":material/dashboard:",
            url_path="overview",
            default=True,
        ),
        st.Page(
            SEGMENTATION_PAGE,
            title=tr("nav.segmentation"),
            icon=":material/groups:",
            url_path="segmentation",
        ),
        st.Page(CLV_PAGE, title=tr("nav.clv"), icon=":material/savings:", url_path="clv"),
        st.Page(
            RETENTION_PAGE,
            title=tr("nav.retention"),
            icon=":material/person_remove:",
            url_path="retention",
        ),
        st.Page(VOC_PAGE, title=tr("nav.voc"), icon=":material/forum:", url_path="voice"),
        st.Page(
            CAMPAIGN_PAGE, title=tr("nav.campaign"), icon=":material/campaign:", url_path="campaign"
        ),
        st.Page(
            CROSSSELL_PAGE,
            title=tr("nav.crosssell"),
            icon=":material/shopping_basket:",
            url_path="cross-sell",
        ),
    ],
}
navigation = st.navigation(pages)

with st.sidebar:
    st.markdown(f"**{tr('sidebar.data_title')}**")
    tables = loaded_tables()
    for kind in TABLE_KINDS:
        loaded = tables.get(kind)
        name = tr(f"table.{kind}")
        if loaded is None:
            st.markdown(
                f":gray[:material/radio_button_unchecked: {name} · {tr('sidebar.not_loaded')}]"
            )
        else:
            source = tr("sidebar.demo") if loaded.is_demo else plain(loaded.source)
            st.markdown(
                f":material/check_circle: {name} · {fmt_count(loaded.report.rows_kept)} {tr('sidebar.rows')}  \n"
                f":gray[{source}]",
                help=None,
            )
    if not using_demo() and st.button(tr("sidebar.reset_demo"), icon=":material/restart_alt:"):
        reset_to_demo()
        st.rerun()
    st.caption(tr("sidebar.privacy"))

navigation.run()
