"""Voice of the customer: NPS and ratings, sentiment (English and Chinese), topics, key drivers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.charts.voc import (
    breakdown_chart,
    driver_chart,
    score_distribution_chart,
    sentiment_mix_chart,
    topic_chart,
    trend_chart,
)
from core.format import fmt_count, fmt_share
from core.i18n import field_label
from core.voc.comments import CommentFilter, filter_comments, tone_mix, topics_per_text
from core.voc.drivers import (
    driver_key,
    driver_target,
    driver_targets,
    key_drivers,
    pulling_topics,
    resolve_topic,
    strongest_drivers,
)
from core.voc.language import detect_language, language_counts, text_messages
from core.voc.mask import count_personal_data, mask_texts
from core.voc.scores import (
    MIN_RESPONSES,
    available_scores,
    breakdown_scores,
    csat_summary,
    customer_attributes,
    customer_link_problem,
    lowest_months,
    monthly_scores,
    nps_summary,
    score_distribution,
    sentiment_by_nps_group,
)
from core.voc.sentiment import (
    InDomainResult,
    in_domain_scores,
    lexicon_scores,
    sentiment_label,
    train_in_domain,
    training_labels,
)
from core.voc.topics import DEFAULT_TOPICS, find_topics, representative_texts, topic_table
from ui.common import (
    UPLOAD_PAGE,
    demo_banner,
    download_csv,
    download_excel,
    message_text,
    orders_of,
    plain,
    rfm_of,
    tr,
)
from ui.state import get_table, lang, memo

st.title(tr("voc.title"))
st.markdown(tr("voc.intro"))
demo_banner()

loaded = get_table("feedback")
if loaded is None:
    st.warning(tr("voc.no_feedback"), icon=":material/warning:")
    st.page_link(UPLOAD_PAGE, label=tr("nav.upload"), icon=":material/upload_file:")
    st.stop()
feedback = loaded.table
if feedback.empty:
    st.warning(tr("voc.empty_feedback"), icon=":material/warning:")
    st.stop()
fp = loaded.fingerprint
texts = feedback["text"] if "text" in feedback else pd.Series("", index=feedback.index)
languages = memo("voc_lang", (fp,), lambda: detect_language(texts))
counts = language_counts(languages)
notes = text_messages(feedback, languages)
has_text = "voc.no_text" not in notes
scores = available_scores(feedback)
labels, label_source = training_labels(feedback)
for key in notes:
    st.info(
        tr(key, en=fmt_count(counts["en"]), zh=fmt_count(counts["zh"]), other=counts["other"]),
        icon=":material/info:",
    )
no_scores = "voc.no_scores_labelled" if label_source == "label" else "voc.no_scores"
if not scores:
    st.info(tr(no_scores), icon=":material/info:")
if not has_text and not scores:
    st.stop()


def score_label(kind: str) -> str:
    return tr(f"voc.score_{kind}")


def lang_label(code: str) -> str:
    return tr(f"voc.lang_{code}")


def show_accuracy(check: InDomainResult) -> None:
    """Each method's accuracy on the labelled comments, next to always guessing the majority."""
    if check.message is not None:
        st.info(message_text(check.message), icon=":material/info:")
    methods = [("lexicon", check.lexicon_accuracy, check.lexicon_balanced_accuracy)]
    methods += [("in_domain", check.accuracy, check.balanced_accuracy)]
    shown = [(m, a, b) for m, a, b in methods if a is not None]
    columns = st.columns(3)
    for column, (method, accuracy, _) in zip(columns, shown, strict=False):
        column.metric(
            tr(f"voc.{method}_accuracy"),
            fmt_share(accuracy),
            help=tr(f"voc.{method}_accuracy_help_{check.source}"),
        )
    columns[2].metric(tr(f"voc.checked_texts_{check.source}"), fmt_count(check.checked))
    for method, accuracy, balanced in shown:
        reading = tr(
            f"voc.accuracy_reading_{check.source}",
            method=tr(f"voc.method_{method}"),
            accuracy=fmt_share(accuracy),
            n=fmt_count(check.checked),
            majority=tr(f"voc.majority_{check.majority}"),
            baseline=fmt_share(check.baseline),
            balanced=fmt_share(balanced),
        )
        st.markdown(f"- {reading}")


# ---------------------------------------------------------------- sentiment (shared)
lexicon = memo("voc_lexicon", (fp,), lambda: lexicon_scores(texts, languages))
in_domain = None
if has_text and labels.notna().any():
    with st.spinner(tr("voc.training")):
        in_domain = memo(
            "voc_in_domain",
            (fp,),
            lambda: train_in_domain(texts, labels, lexicon, source=label_source),
        )
method_options = ["auto", "lexicon", "in_domain"] if in_domain and in_domain.model else ["lexicon"]
method = st.session_state.get("voc_method", "auto")
if method not in method_options:
    method = method_options[0]
use_in_domain = (
    in_domain is not None
    and in_domain.model is not None
    and (method == "in_domain" or (method == "auto" and in_domain.better))
)
sentiment = (
    memo("voc_in_domain_scores", (fp,), lambda: in_domain_scores(in_domain.model, texts, lexicon))
    if use_in_domain
    else lexicon
)
tone = sentiment_label(sentiment)

# ---------------------------------------------------------------- headline
nps = nps_summary(feedback["nps"]) if "nps" in scores else None
csat = csat_summary(feedback)
monthly = memo("voc_monthly", (fp, use_in_domain), lambda: monthly_scores(feedback, sentiment))
headline = []
if nps is not None and nps.nps is not None:
    headline.append(
        (
            tr("voc.nps"),
            f"{nps.nps:+.0f}",
            tr(
                "voc.nps_help",
                low=f"{nps.ci_low:+.0f}",
                high=f"{nps.ci_high:+.0f}",
                n=fmt_count(nps.n),
            ),
        )
    )
if csat.share is not None:
    headline.append(
        (
            tr("voc.csat"),
            fmt_share(csat.share, 0),
            tr(f"voc.csat_help_{csat.source}", n=fmt_count(csat.n)),
        )
    )
if "rating" in scores:
    headline.append(
        (tr("voc.avg_rating"), f"{feedback['rating'].mean():.2f}", tr("voc.avg_rating_help"))
    )
if has_text and sentiment.notna().any():
    headline.append(
        (tr("voc.avg_sentiment"), f"{sentiment.mean():+.2f}", tr("voc.avg_sentiment_help"))
    )
for column, (label, value, help_text) in zip(st.columns(4), headline, strict=False):
    column.metric(label, value, help=help_text, border=True)
st.caption(
    tr(
        "voc.counts_caption",
        rows=fmt_count(len(feedback)),
        texts=fmt_count(counts["en"] + counts["zh"] + counts["other"]),
        en=fmt_count(counts["en"]),
        zh=fmt_count(counts["zh"]),
    )
)

# ---------------------------------------------------------------- topics (shared)
k = st.session_state.get("voc_k", DEFAULT_TOPICS)
topics = None
if has_text:
    with st.spinner(tr("voc.finding_topics")):
        topics = memo("voc_topics", (fp, k), lambda: find_topics(texts, k, languages))
names_store: dict = st.session_state.setdefault("voc_topic_names", {})
topic_names: dict[int, str] = {}
if topics is not None and topics.k:
    saved = names_store.get((fp, topics.k), {})
    topic_names = {
        int(r.topic): saved.get(int(r.topic)) or r.label for r in topics.terms.itertuples()
    }
    # Names typed in the topic table on this rerun (the table itself is drawn further down).
    edits = st.session_state.get(f"voc_names_{topics.k}", {}).get("edited_rows", {})
    for row, change in edits.items():
        if isinstance(change.get("name"), str) and change["name"].strip():
            topic_names[int(row)] = change["name"].strip()

primary = "nps" if "nps" in scores else ("rating" if "rating" in scores else None)
drivers = None
target_options = driver_targets(feedback)
target = st.session_state.get("voc_target")
if topics is not None and topics.k and target_options:
    if target not in target_options:
        target = target_options[0]
    outcome = driver_target(feedback, target)
    drivers = memo(
        "voc_drivers", (fp, topics.k, target), lambda: key_drivers(outcome, topics.presence, target)
    )

# ---------------------------------------------------------------- what this means
st.subheader(tr("voc.reading_title"))
lines = []
if nps is not None and nps.nps is not None:
    lines.append(
        tr(
            "voc.reading_nps",
            nps=f"{nps.nps:+.0f}",
            low=f"{nps.ci_low:+.0f}",
            high=f"{nps.ci_high:+.0f}",
            promoters=fmt_share(nps.promoters / nps.n, 0),
            detractors=fmt_share(nps.detractors / nps.n, 0),
        )
    )
    low = lowest_months(monthly, "nps")
    if len(low) and len(monthly) >= 6:
        lines.append(
            tr(
                "voc.reading_low_months",
                months=", ".join(
                    f"{m:%Y-%m} ({v:+.0f})" for m, v in zip(low["month"], low["nps"], strict=True)
                ),
                nps=f"{nps.nps:+.0f}",
            )
        )
if drivers is not None and drivers.message is not None:
    lines.append(message_text(drivers.message))
elif drivers is not None:
    drag, lift = strongest_drivers(drivers)
    if drag is None:
        lines.append(tr(f"voc.reading_no_drag_{target}"))
    for kind, driver in (("driver", drag), ("lift", lift)):
        if driver is not None:
            lines.append(
                tr(
                    f"voc.reading_{kind}_{target}",
                    topic=plain(topic_names[driver.topic]),
                    share=fmt_share(driver.frequency, 0),
                    impact=f"{abs(driver.impact) * drivers.scale:.1f}",
                )
            )
if has_text:
    lines.append(
        tr(
            "voc.reading_sentiment",
            negative=fmt_share((tone == "negative").sum() / max(tone.notna().sum(), 1), 0),
            method=tr(f"voc.method_{'in_domain' if use_in_domain else 'lexicon'}"),
        )
    )
for line in lines:
    st.markdown(f"- {line}")

tab_scores, tab_sentiment, tab_topics, tab_drivers, tab_verbatims = st.tabs(
    [
        tr("voc.tab_scores"),
        tr("voc.tab_sentiment"),
        tr("voc.tab_topics"),
        tr("voc.tab_drivers"),
        tr("voc.tab_verbatims"),
    ]
)

# ---------------------------------------------------------------- scores
with tab_scores:
    if not scores:
        st.info(tr(no_scores), icon=":material/info:")
    else:
        kind = st.radio(
            tr("voc.score_kind"),
            scores,
            format_func=score_label,
            horizontal=True,
            key="voc_score_kind",
        )
        dist = score_distribution(feedback[kind], kind)
        dist["group_label"] = dist["group"].map(lambda g: tr(f"voc.group_{g}"))
        left, right = st.columns(2)
        left.altair_chart(
            score_distribution_chart(
                dist, tr("voc.chart_distribution", score=score_label(kind)), lang()
            ),
            width="stretch",
        )
        metric_options = [c for c in ("nps", "avg_rating", "csat", "avg_sentiment") if c in monthly]
        with right:
            if monthly.empty or not metric_options:
                st.info(tr("voc.no_dates"), icon=":material/info:")
            else:
                trend_metric = st.selectbox(
                    tr("voc.trend_metric"),
                    metric_options,
                    format_func=lambda c: tr(f"voc.metric_{c}"),
                    key="voc_trend_metric",
                )
                st.altair_chart(
                    trend_chart(
                        monthly,
                        trend_metric,
                        tr("voc.chart_trend", metric=tr(f"voc.metric_{trend_metric}")),
                        tr(f"voc.metric_{trend_metric}"),
                        lang(),
                    ),
                    width="stretch",
                )
                st.caption(tr("voc.trend_help"))

        st.subheader(tr("voc.breakdown_title"))
        customers = get_table("customers")
        transactions = get_table("transactions")
        rfm = None
        link = customer_link_problem(feedback, customers is not None or transactions is not None)
        if transactions is not None and link is None:
            orders = orders_of(transactions)
            if not orders.empty:
                rfm = rfm_of(transactions).table
        attributes = memo(
            "voc_attributes",
            (
                fp,
                customers.fingerprint if customers else None,
                transactions.fingerprint if transactions else None,
            ),
            lambda: customer_attributes(feedback, customers.table if customers else None, rfm),
        )
        options = {}
        if "channel" in feedback:
            options["channel"] = tr("voc.by_channel")
        if has_text:
            options["language"] = tr("voc.by_language")
        for column in attributes.columns:
            if column == "rfm_segment":
                options[column] = tr("voc.by_rfm_segment")
            else:
                attribute = field_label(column.removeprefix("customer:"), lang())
                options[column] = tr("voc.by_customer", attribute=attribute)
        if link is not None:
            st.caption(message_text(link))
        if not options:
            st.caption(tr("voc.no_breakdown"))
        else:
            one, two = st.columns(2)
            by = one.selectbox(
                tr("voc.breakdown_by"),
                list(options),
                format_func=options.get,
                key="voc_breakdown_by",
            )
            if by == "channel":
                groups = feedback["channel"]
            elif by == "language":
                groups = languages.map(lang_label)
            else:
                groups = attributes[by]
                if by == "rfm_segment":
                    groups = groups.map(lambda s: tr(f"segment.{s}"), na_action="ignore")
            table = breakdown_scores(feedback, groups, sentiment if has_text else None)
            table["group"] = table["group"].replace(
                {"unknown": tr("voc.unknown"), "other": tr("voc.other")}
            )
            metric_choices = [
                c for c in ("nps", "avg_rating", "csat", "avg_sentiment") if c in table
            ]
            metric = two.selectbox(
                tr("voc.breakdown_metric"),
                metric_choices,
                format_func=lambda c: tr(f"voc.metric_{c}"),
                key="voc_breakdown_metric",
            )
            drawn = table[table["responses"] >= MIN_RESPONSES]
            st.altair_chart(
                breakdown_chart(drawn, metric, tr(f"voc.metric_{metric}"), lang()), width="stretch"
            )
            st.caption(tr("voc.breakdown_help"))

# ---------------------------------------------------------------- sentiment
with tab_sentiment:
    if not has_text:
        st.info(tr("voc.no_text_here"), icon=":material/info:")
    else:
        st.markdown(tr("voc.sentiment_intro"))
        st.radio(
            tr("voc.method"),
            method_options,
            index=method_options.index(method),
            format_func=lambda m: tr(f"voc.method_{m}"),
            horizontal=True,
            key="voc_method",
            help=tr("voc.method_help"),
        )
        if in_domain is None:
            st.caption(tr("voc.in_domain_needs_scores"))
        else:
            show_accuracy(in_domain)
        if in_domain is not None and in_domain.model is not None:
            st.caption(
                tr(
                    "voc.method_used",
                    method=tr(f"voc.method_{'in_domain' if use_in_domain else 'lexicon'}"),
                )
            )
        mix = tone_mix(languages, tone)
        mix["language"] = mix["language"].map(lang_label)
        mix["tone_label"] = mix["tone"].map(lambda v: tr(f"voc.tone_{v}"))
        st.altair_chart(sentiment_mix_chart(mix, lang()), width="stretch")
        by_group = sentiment_by_nps_group(feedback["nps"], sentiment) if "nps" in scores else None
        if by_group is not None and len(by_group):
            parts = [
                tr("voc.sentiment_by_group_item", group=tr(f"voc.group_{g}"), value=f"{v:+.2f}")
                for g, v in by_group.items()
            ]
            st.caption(tr("voc.sentiment_by_group", items="; ".join(parts)))

# ---------------------------------------------------------------- topics
with tab_topics:
    if topics is None:
        st.info(tr("voc.no_text_here"), icon=":material/info:")
    else:
        st.markdown(tr("voc.topics_intro"))
        st.slider(
            tr("voc.topic_count"),
            3,
            15,
            DEFAULT_TOPICS,
            key="voc_k",
            help=tr("voc.topic_count_help"),
        )
        if topics.message:
            st.info(message_text(topics.message), icon=":material/info:")
        if topics.k:
            score_column = feedback[primary] if primary else None
            summary = topic_table(topics, sentiment, score_column)
            summary["name"] = summary["topic"].map(topic_names)
            st.altair_chart(topic_chart(summary, lang()), width="stretch")
            st.caption(tr("voc.topics_rename_help"))
            edited = st.data_editor(
                pd.DataFrame(
                    {
                        "topic": summary["topic"] + 1,
                        "terms": topics.terms["label"],
                        "name": summary["name"],
                        "texts": summary["texts"],
                        "share": summary["share"] * 100,
                        "avg_sentiment": summary["avg_sentiment"],
                        **({"avg_score": summary["avg_score"]} if primary else {}),
                    }
                ),
                hide_index=True,
                width="stretch",
                disabled=["topic", "terms", "texts", "share", "avg_sentiment", "avg_score"],
                key=f"voc_names_{topics.k}",
                column_config={
                    "topic": st.column_config.NumberColumn("#", width="small"),
                    "terms": st.column_config.TextColumn(
                        tr("voc.col_terms"), help=tr("voc.col_terms_help")
                    ),
                    "name": st.column_config.TextColumn(
                        tr("voc.col_name"), help=tr("voc.col_name_help")
                    ),
                    "texts": st.column_config.NumberColumn(tr("voc.col_texts"), format="localized"),
                    "share": st.column_config.NumberColumn(tr("voc.col_share"), format="%.1f%%"),
                    "avg_sentiment": st.column_config.NumberColumn(
                        tr("voc.col_sentiment"), format="%+.2f", help=tr("voc.avg_sentiment_help")
                    ),
                    "avg_score": st.column_config.NumberColumn(
                        tr("voc.col_avg_score", score=score_label(primary)) if primary else "",
                        format="%.2f",
                    ),
                },
            )
            new_names = {
                int(t) - 1: str(n).strip()
                for t, n in zip(edited["topic"], edited["name"], strict=True)
                if isinstance(n, str) and n.strip()
            }
            if new_names != topic_names:
                names_store[(fp, topics.k)] = new_names
                topic_names.update(new_names)
            st.subheader(tr("voc.examples_title"))
            # Open on the topic customers are least happy about: the one to read first.
            ranking = "avg_score" if primary else "avg_sentiment"
            least_happy = int(summary.sort_values(ranking, na_position="last")["topic"].iloc[0])
            pick = st.selectbox(
                tr("voc.examples_topic"),
                list(range(topics.k)),
                index=least_happy,
                format_func=lambda i: topic_names[i],
                key="voc_example_topic",
            )
            mask_examples = st.session_state.get("voc_mask", True)
            clause_sentiment = memo(
                "voc_clause_sentiment",
                (fp, topics.k),
                lambda: lexicon_scores(topics.clauses["clause"]),
            )
            for tone_name, column in zip(("positive", "negative"), st.columns(2), strict=True):
                examples = representative_texts(
                    topics, texts, sentiment, pick, tone_name, clause_sentiment=clause_sentiment
                )
                with column:
                    st.markdown(f"**{tr(f'voc.examples_{tone_name}')}**")
                    if examples.empty:
                        st.caption(tr("voc.no_examples"))
                    else:
                        shown = mask_texts(examples["text"]) if mask_examples else examples["text"]
                        st.dataframe(
                            pd.DataFrame({"text": shown, "sentiment": examples["tone"]}),
                            hide_index=True,
                            width="stretch",
                            column_config={
                                "text": st.column_config.TextColumn(
                                    tr("voc.col_text"), width="large"
                                ),
                                "sentiment": st.column_config.NumberColumn(
                                    tr("voc.col_topic_tone"),
                                    format="%+.2f",
                                    help=tr("voc.col_topic_tone_help"),
                                ),
                            },
                        )

# ---------------------------------------------------------------- drivers and what if
with tab_drivers:
    if drivers is None:
        st.info(tr("voc.drivers_need"), icon=":material/info:")
    else:
        st.markdown(tr(driver_key("drivers_intro", target)))
        st.radio(
            tr("voc.driver_target"),
            target_options,
            index=target_options.index(target),
            format_func=lambda s: tr(f"voc.target_{s}"),
            horizontal=True,
            key="voc_target",
            help=tr("voc.driver_target_help"),
        )
        if drivers.message:
            st.info(message_text(drivers.message), icon=":material/info:")
        else:
            table = drivers.in_points().assign(name=drivers.table["topic"].map(topic_names))
            axis = tr(f"voc.impact_{target}")
            st.altair_chart(driver_chart(table, axis, lang(), drivers.worse_up), width="stretch")
            help_key = driver_key("drivers_chart_help", target)
            st.caption(tr(help_key, r2=f"{drivers.r_squared:.2f}", n=fmt_count(drivers.n)))
            ordered = table.sort_values("impact", ascending=not drivers.worse_up)  # worst first
            st.dataframe(
                pd.DataFrame(
                    {
                        "name": ordered["name"],
                        "frequency": ordered["frequency"] * 100,
                        "impact": ordered["impact"],
                        "ci": [
                            f"{lo:+.2f} … {hi:+.2f}"
                            for lo, hi in zip(ordered["ci_low"], ordered["ci_high"], strict=True)
                        ],
                        "p": ordered["p_value"],
                        "reading": ordered["direction"].map(
                            lambda d: tr(driver_key(f"driver_row_{d}", target))
                        ),
                    }
                ),
                hide_index=True,
                width="stretch",
                column_config={
                    "name": st.column_config.TextColumn(tr("voc.col_name")),
                    "frequency": st.column_config.NumberColumn(
                        tr("voc.col_frequency"), format="%.1f%%"
                    ),
                    "impact": st.column_config.NumberColumn(
                        axis, format="%+.2f", help=tr(driver_key("impact_help", target))
                    ),
                    "ci": st.column_config.TextColumn(tr("voc.col_ci"), help=tr("voc.col_ci_help")),
                    "p": st.column_config.NumberColumn(
                        tr("voc.col_p"), format="%.3f", help=tr("voc.col_p_help")
                    ),
                    "reading": st.column_config.TextColumn(tr("voc.col_reading"), width="medium"),
                },
            )

            st.subheader(tr("voc.whatif_title"))
            st.caption(tr(driver_key("whatif_intro", target)))
            pullers = pulling_topics(drivers)
            if not pullers:
                st.info(tr(driver_key("whatif_none", target)), icon=":material/info:")
            else:
                one, two = st.columns(2)
                fix = one.selectbox(
                    tr("voc.whatif_topic"),
                    pullers,
                    format_func=lambda i: topic_names[i],
                    key="voc_whatif_topic",
                )
                share = (
                    two.slider(
                        tr("voc.whatif_share"),
                        0,
                        100,
                        100,
                        step=5,
                        format="%d%%",
                        key="voc_whatif_share",
                    )
                    / 100
                )
                result = resolve_topic(outcome, topics.presence, drivers, fix, share)
                if result is not None:
                    fmt = {"nps": "{:+.1f}", "rating": "{:.2f}"}.get(target, "{:.1f}%").format
                    a, b, c = st.columns(3)
                    a.metric(tr(f"voc.whatif_metric_{target}"), fmt(result.before))
                    b.metric(
                        tr("voc.whatif_after"),
                        fmt(result.after),
                        delta=f"{result.change:+.1f}"
                        if target != "rating"
                        else f"{result.change:+.2f}",
                        delta_color="inverse" if drivers.worse_up else "normal",
                        help=tr(
                            "voc.whatif_after_help",
                            low=fmt(result.after_low),
                            high=fmt(result.after_high),
                        ),
                    )
                    c.metric(tr(driver_key("whatif_affected", target)), fmt_count(result.affected))
                    st.caption(
                        tr(
                            f"voc.whatif_reading_{target}",
                            topic=plain(topic_names[fix]),
                            n=fmt_count(result.affected),
                            before=fmt(result.before),
                            after=fmt(result.after),
                            low=fmt(result.after_low),
                            high=fmt(result.after_high),
                        )
                    )

# ---------------------------------------------------------------- verbatims
with tab_verbatims:
    st.markdown(tr("voc.verbatims_intro"))
    topic_lists = (
        memo(
            "voc_topic_lists", (fp, topics.k), lambda: topics_per_text(topics.presence, texts.index)
        )
        if topics is not None and topics.k
        else None
    )
    one, two, three = st.columns(3)
    chosen_topics = (
        one.multiselect(
            tr("voc.filter_topics"),
            list(range(topics.k)),
            format_func=lambda i: topic_names[i],
            key="voc_filter_topics",
            placeholder=tr("voc.all_topics"),
        )
        if topic_lists is not None
        else []
    )
    chosen_tones = two.multiselect(
        tr("voc.filter_tone"),
        ["positive", "neutral", "negative"],
        format_func=lambda v: tr(f"voc.tone_{v}"),
        key="voc_filter_tone",
        placeholder=tr("voc.all_tones"),
    )
    keyword = three.text_input(
        tr("voc.filter_keyword"), key="voc_filter_keyword", help=tr("voc.filter_keyword_help")
    )
    four, five, six = st.columns(3)
    scale = ((0, 10) if primary == "nps" else (1, 5)) if primary else None
    score_range = (
        four.slider(
            tr("voc.filter_score", score=score_label(primary)),
            *scale,
            scale,
            key="voc_filter_score",
        )
        if primary
        else None
    )
    period = None
    if "date" in feedback and feedback["date"].notna().any():
        first, last = feedback["date"].min().date(), feedback["date"].max().date()
        period = five.date_input(
            tr("voc.filter_dates"),
            (first, last),
            min_value=first,
            max_value=last,
            key="voc_filter_dates",
        )
    masked = six.toggle(tr("voc.mask"), value=True, key="voc_mask", help=tr("voc.mask_help"))
    only_text = six.toggle(tr("voc.only_text"), value=has_text, key="voc_only_text")

    wanted = CommentFilter(
        tuple(chosen_topics),
        tuple(chosen_tones),
        keyword,
        primary,
        tuple(score_range) if score_range is not None else None,
        scale,
        tuple(period) if isinstance(period, tuple) and len(period) == 2 else None,
        only_text,
    )
    keep = filter_comments(feedback, texts, languages, tone, topic_lists, wanted)
    chosen = feedback[keep]
    shown_text = texts[keep]
    view = pd.DataFrame(index=chosen.index)
    if "date" in chosen:
        view[tr("field.date")] = chosen["date"].dt.date
    view[tr("voc.col_text")] = mask_texts(shown_text) if masked else shown_text
    view[tr("voc.col_tone")] = tone[keep].map(lambda v: tr(f"voc.tone_{v}"), na_action="ignore")
    view[tr("voc.col_sentiment")] = sentiment[keep].round(2)
    if topic_lists is not None:
        view[tr("voc.col_topics")] = topic_lists[keep].map(
            lambda found: " / ".join(topic_names[t] for t in found)
        )
    for kind in scores:
        view[score_label(kind)] = chosen[kind]
    if "channel" in chosen:
        view[tr("field.channel")] = chosen["channel"]
    if "customer_id" in chosen:
        view[tr("field.customer_id")] = chosen["customer_id"]
    view[tr("voc.col_language")] = languages[keep].map(lang_label)
    st.caption(tr("voc.verbatims_caption", n=fmt_count(len(view)), total=fmt_count(len(feedback))))
    if has_text:
        personal = memo("voc_personal", (fp,), lambda: count_personal_data(texts))
        if personal:
            st.caption(tr("voc.personal_found", n=fmt_count(personal)))
    st.dataframe(
        view.head(2000),
        hide_index=True,
        width="stretch",
        column_config={
            tr("voc.col_text"): st.column_config.TextColumn(width="large"),
            tr("voc.col_topics"): st.column_config.TextColumn(width="medium"),
        },
    )
    export_one, export_two = st.columns(2)
    label = fmt_count(len(view))
    with export_one:
        download_csv(view, "verbatims.csv", tr("voc.download_csv", n=label), key="voc_export_csv")
    with export_two:
        download_excel(
            view, "verbatims.xlsx", tr("voc.download_excel", n=label), key="voc_export_xlsx"
        )
