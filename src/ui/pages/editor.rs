//! The guided editor: a step list on the side (on top on a phone), one step at a time in a
//! plain form that posts without JavaScript and autosaves with it.
//!
//! Long because the editor's steps are one form people move through; each step is
//! its own function below.

use crate::domain::editing::{Step, paragraphs_text, step_of_item, step_of_kind};
use crate::domain::health::{Finding, Rule, Severity, Spot};
use crate::domain::material::MaterialState;
use crate::domain::material::ProblemSource;
use crate::domain::material::{Deadline, Item, Material, PartKind, char_count};
use crate::domain::outline::chinese_number;
use crate::domain::review::{RoundAge, WHOLE, item_anchor, part_anchor, round_label};
use crate::domain::template::Template;
use crate::server::cycle::ReceivedOpinion;
use crate::server::materials::FinaliseMaterial;
use crate::server::materials::{
    AdoptKeptCopy, EditorView, SetAsideKeptCopy, SubmitMaterial, WithdrawMaterial, material_editor,
};
use crate::server::meetings::{CommentView, similarity_check};
use crate::ui::components::autosave::{AutosaveForm, SaveIndicator, SaveProblem};
use crate::ui::components::comment_list::comment_list;
use crate::ui::components::diff::DiffView;
use crate::ui::components::error_notice::action_error;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::PostForm;
use crate::ui::components::protected::{Audience, Protected};
use crate::ui::components::similarity::{SimilarityPanel, SimilarityResource};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn EditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = load(
        move || params.read().get("id").unwrap_or_default(),
        material_editor,
    );
    // The 雷同 check is the dearest part of the page, and only the check step shows it: when
    // it is named, or when no step is and the material opens there (it can no longer be
    // edited).
    let similarity: SimilarityResource = load(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("step"),
            )
        },
        move |(id, step)| async move {
            let on_check = match step.as_deref() {
                Some(step) => step == Step::Check.key(),
                None => matches!(data.await, Ok(view) if !view.state.editable()),
            };
            if on_check {
                similarity_check(id).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    let actions = PageActions {
        submit: ServerAction::new(),
        finalise: ServerAction::new(),
        withdraw: ServerAction::new(),
        adopt: ServerAction::new(),
        set_aside: ServerAction::new(),
        similarity,
    };
    view! {
        <Title text="撰写材料 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! { <Editor data actions /> } />
    }
}

/// The actions of the page (each loads the page again once it went through).
#[derive(Clone, Copy)]
struct PageActions {
    submit: ServerAction<SubmitMaterial>,
    finalise: ServerAction<FinaliseMaterial>,
    withdraw: ServerAction<WithdrawMaterial>,
    adopt: ServerAction<AdoptKeptCopy>,
    set_aside: ServerAction<SetAsideKeptCopy>,
    /// The 雷同 check of the check step.
    similarity: SimilarityResource,
}

#[component]
fn Editor(data: Loaded<EditorView>, actions: PageActions) -> impl IntoView {
    let query = use_query_map();
    loaded(data, move |view| {
        let step = query.read().get("step").and_then(|raw| Step::parse(&raw));
        editor_body(view, step, actions)
    })
}

fn step_label(material: &Material, step: Step) -> String {
    match step {
        Step::Opening => "标题与开头".into(),
        Step::Part(index) => material
            .parts
            .get(index)
            .map(|part| part.heading.clone())
            .unwrap_or_default(),
        Step::Closing => "结束语".into(),
        Step::Check => "体检与提交".into(),
    }
}

/// 字 written in a step (for the step list).
fn step_chars(material: &Material, step: Step) -> usize {
    match step {
        Step::Opening => char_count(&material.preamble.concat()),
        Step::Part(index) => material
            .parts
            .get(index)
            .map_or(0, |part| char_count(&part.text())),
        Step::Closing => char_count(material.closing.as_deref().unwrap_or("")),
        Step::Check => 0,
    }
}

fn editor_body(view: EditorView, step: Option<Step>, actions: PageActions) -> impl IntoView {
    let steps = Step::all(&view.content);
    let step = step
        .filter(|step| steps.contains(step))
        .unwrap_or(if view.state.editable() {
            Step::Opening
        } else {
            Step::Check
        });
    let editable = view.state.editable();
    let kept = view.kept.clone();
    let material_id = view.material_id.clone();
    let heading = view.meeting_title.clone();
    let state = view.state;
    let words = view.group_kind.words();
    let privacy = if view.collective {
        format!(
            "这是班子对照检查材料：起草中的稿子本班子成员都能阅读并提出意见，提交后交{}审核。严禁录入涉密内容。",
            words.head
        )
    } else {
        format!(
            "材料只有您本人可见，提交后{}才能看到提交的版本。严禁录入涉密内容。",
            words.head
        )
    };
    view! {
        <div class="editor">
            <div class="editor-head">
                <h1>{heading}</h1>
                <span class=format!("badge state-{}", state_class(state))>{state.label()}</span>
            </div>
            <p class="hint">{privacy}</p>
            {colleague_panel(&view)}
            {action_error(actions.adopt.into())}
            {action_error(actions.set_aside.into())}
            {(!kept.is_empty()).then(|| kept_panel(&view, actions))}
            {review_panel(&view)}
            {match step {
                Step::Check => check_step(view, actions).into_any(),
                _ if !editable => read_only_step(view, step).into_any(),
                _ => edit_step(view, step).into_any(),
            }}
            <p class="editor-links">
                <a href=format!("/materials/{material_id}/preview")>"预览全文"</a>
                " · "
                <a href=format!("/materials/{material_id}/history")>"修订记录"</a>
                " · "
                <a href=format!("/materials/{material_id}/import")>"导入已有材料"</a>
                " · "
                <a href=format!("/materials/{material_id}/download.docx") download>"下载 Word"</a>
                " · "
                <a href="/materials">"我的材料"</a>
            </p>
        </div>
    }
}

fn state_class(state: MaterialState) -> &'static str {
    match state {
        MaterialState::Draft => "draft",
        MaterialState::Submitted => "submitted",
        MaterialState::Returned => "returned",
        MaterialState::Approved => "approved",
        MaterialState::Spoken => "spoken",
        MaterialState::Final | MaterialState::Reported => "final",
    }
}

/// Saves refused earlier (another page saved first, or the material was submitted), each
/// with what it would change, to adopt or set aside.
fn kept_panel(view: &EditorView, actions: PageActions) -> impl IntoView + use<> {
    let editable = view.state.editable();
    let material_id = view.material_id.clone();
    let version = view.version;
    view.kept
        .iter()
        .cloned()
        .map(|kept| {
            let adopt_fields = (material_id.clone(), kept.id.clone());
            let material_id = material_id.clone();
            let reason = if kept.reason == "stale" {
                "在另一个页面或设备上保存了更新的版本，这次修改没有覆盖它"
            } else {
                "提交后又做的修改，没有覆盖已提交的材料"
            };
            view! {
                <section class="card kept" aria-label="未保存的修改">
                    <h2>"有一份修改没有保存进材料（" {kept.at.clone()} "）"</h2>
                    <p>{reason} "。下面是它与当前材料的不同（"
                        <span class="diff-add">"绿色"</span> "为这份修改独有，"
                        <span class="diff-del">"红色"</span> "为当前材料独有）："</p>
                    <DiffView lines=kept.diff.clone() />
                    <div class="actions">
                        {editable.then(|| view! {
                            <PostForm action=actions.adopt>
                                <input type="hidden" name="material_id" value=adopt_fields.0.clone() />
                                <input type="hidden" name="kept_id" value=adopt_fields.1.clone() />
                                <input type="hidden" name="base_version" value=version />
                                <input type="hidden" name="request_id" value=format!("adopt-{}-{version}", adopt_fields.1) />
                                <button type="submit">"采用这份修改"</button>
                            </PostForm>
                        })}
                        <PostForm action=actions.set_aside>
                            <input type="hidden" name="material_id" value=material_id.clone() />
                            <input type="hidden" name="kept_id" value=kept.id.clone() />
                            <button type="submit" class="secondary">"保留当前材料，不采用"</button>
                        </PostForm>
                    </div>
                </section>
            }
        })
        .collect_view()
}

/// What the 检查 step says beside its name: the problems left, or what can be done next —
/// never "可以提交" once the material is past handing in.
fn check_note(state: MaterialState, errors: usize) -> String {
    match state {
        _ if errors > 0 && state.editable() => format!("{errors} 个问题"),
        MaterialState::Draft | MaterialState::Returned => "可以提交".into(),
        MaterialState::Spoken => "可以定稿".into(),
        other => other.label().into(),
    }
}

/// The latest submitted round: its 批注 are the ones to act on; earlier rounds' are history.
fn latest_round(view: &EditorView) -> i64 {
    view.rounds
        .iter()
        .map(|r| r.round)
        .max()
        .unwrap_or_default()
}

/// Whether a comment belongs to the latest submitted round.
fn is_current(view: &EditorView, comment: &CommentView) -> bool {
    RoundAge::of(comment.round, latest_round(view)) == RoundAge::Current
}

/// The 批注 anchored to a step's part or to one of its items, of every round.
fn comments_of_step(view: &EditorView, step: Step) -> Vec<CommentView> {
    let Step::Part(index) = step else {
        return Vec::new();
    };
    let Some(part) = view.content.parts.get(index) else {
        return Vec::new();
    };
    view.comments
        .iter()
        .filter(|c| {
            c.anchor == part_anchor(index)
                || part
                    .items
                    .iter()
                    .any(|item| c.anchor == item_anchor(&item.id.0))
        })
        .cloned()
        .collect()
}

/// The step list: links, or (inside the editing form) buttons that save before moving.
/// A step with 批注 of the latest round is marked, so the author finds each one.
fn step_nav(view: &EditorView, current: Step, as_buttons: bool) -> impl IntoView + use<> {
    let material = &view.content;
    let filled = material
        .parts
        .iter()
        .enumerate()
        .filter(|(index, _)| step_chars(material, Step::Part(*index)) > 0)
        .count();
    let total_parts = material.parts.len();
    let total_chars: usize = Step::all(material)
        .into_iter()
        .map(|step| step_chars(material, step))
        .sum();
    let errors = view
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let items = Step::all(material)
        .into_iter()
        .enumerate()
        .map(|(index, step)| {
            let label = step_label(material, step);
            let chars = step_chars(material, step);
            let done = match step {
                Step::Opening => !material.title.trim().is_empty(),
                Step::Part(_) => chars > 0,
                Step::Closing => material.closing.is_some(),
                Step::Check => errors == 0,
            };
            let note = match step {
                Step::Check => check_note(view.state, errors),
                _ if chars > 0 => format!("{chars} 字"),
                _ => "未填写".into(),
            };
            let class = match (step == current, done) {
                (true, _) => "step current",
                (false, true) => "step done",
                (false, false) => "step",
            };
            let commented = comments_of_step(view, step)
                .iter()
                .filter(|c| is_current(view, c))
                .count();
            let class = if commented > 0 {
                format!("{class} commented")
            } else {
                class.to_string()
            };
            let number = format!("{}", index + 1);
            let body = view! {
                <span class="step-number">{number}</span>
                <span class="step-label">{label}</span>
                <span class="step-note">{note}
                    {(commented > 0).then(|| view! {
                        <span class="step-flag">{format!(" · 批注 {commented} 条")}</span>
                    })}
                </span>
            };
            let link = if as_buttons {
                view! {
                    <button type="submit" name="go" value=step.key() class="step-link"
                        aria-current=(step == current).then_some("step")>{body}</button>
                }
                .into_any()
            } else {
                view! {
                    <a href=format!("/materials/{}?step={}", view.material_id, step.key())
                        class="step-link" aria-current=(step == current).then_some("step")>{body}</a>
                }
                .into_any()
            };
            view! { <li class=class>{link}</li> }
        })
        .collect_view();
    // A <progress> element rather than a bar of styled width: the CSP allows no inline styles.
    view! {
        <nav class="steps" aria-label="撰写步骤">
            <p class="progress-text">{format!("已填写 {filled}/{total_parts} 部分 · 共 {total_chars} 字")}</p>
            <progress class="progress" value=filled max=total_parts aria-label="填写进度"></progress>
            <ol>{items}</ol>
        </nav>
    }
}

/// A text area with a live 字 count.
#[component]
fn CountedArea(
    id: String,
    name: String,
    label: String,
    value: String,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] placeholder: Option<String>,
    #[prop(optional)] target: Option<(usize, usize)>,
) -> impl IntoView {
    let count = char_count(&value);
    let range = target.map(|(min, max)| format!("，建议 {min}–{max} 字"));
    view! {
        <label for=id.clone()>{label}</label>
        <CharCount count range>
            <textarea id=id name=name rows=rows placeholder=placeholder maxlength="50000">{value}</textarea>
        </CharCount>
    }
}

/// The 字 count under the text area it wraps, following the typing. The text itself is only
/// in the page, not repeated in the island's props.
#[island]
fn CharCount(count: usize, range: Option<String>, children: Children) -> impl IntoView {
    let count = RwSignal::new(count);
    view! {
        <div class="counted" on:input=move |ev| count.set(char_count(&event_target_value(&ev)))>
            {children()}
        </div>
        <p class="count">{move || format!("{} 字", count.get())}{range}</p>
    }
}

#[component]
fn TextField(
    id: String,
    name: String,
    label: String,
    value: String,
    #[prop(optional)] placeholder: Option<String>,
    #[prop(optional)] list: Option<String>,
) -> impl IntoView {
    view! {
        <label for=id.clone()>{label}</label>
        <input type="text" id=id name=name value=value placeholder=placeholder list=list maxlength="2000" />
    }
}

fn guidance(template: &Template, material: &Material, step: Step) -> Option<AnyView> {
    let Step::Part(index) = step else {
        return None;
    };
    let kind = material.parts.get(index)?.kind;
    let wanted = template.part(kind)?;
    let range = match (wanted.min_chars, wanted.max_chars) {
        (Some(min), Some(max)) => Some(format!("篇幅建议 {min}–{max} 字。")),
        _ => None,
    };
    Some(
        view! {
            <aside class="guidance">
                <p><strong>{if wanted.required { "必填 · " } else { "选填 · " }}</strong>{wanted.guidance.clone()}</p>
                <p class="example"><span>"示例："</span>{wanted.example.clone()}</p>
                {range.map(|r| view! { <p class="hint">{r}</p> })}
            </aside>
        }
        .into_any(),
    )
}

fn edit_step(view: EditorView, step: Step) -> impl IntoView {
    let steps = Step::all(&view.content);
    let position = steps.iter().position(|s| *s == step).unwrap_or(0);
    let next = steps.get(position + 1).copied();
    let previous = position.checked_sub(1).and_then(|p| steps.get(p)).copied();
    let here = format!("/materials/{}?step={}", view.material_id, step.key());
    view! {
        <AutosaveForm material_id=view.material_id.clone() step=step.key() version=view.version
            saved_at=view.updated_at.clone()>
            <input type="hidden" name="material_id" value=view.material_id.clone() />
            // The autosave sends the version it last saved in its place.
            <input type="hidden" name="base_version" value=view.version />
            <input type="hidden" name="request_id" value=view.request_id.clone() />
            <input type="hidden" name="step" value=step.key() />
            <div class="editor-layout">
                {step_nav(&view, step, true)}
                <section class="step-body">
                    <div class="step-head">
                        <h2>{step_label(&view.content, step)}</h2>
                        <SaveIndicator saved_at=view.updated_at.clone() />
                    </div>
                    <SaveProblem here />
                    {step_comments(&view, step)}
                    {guidance(&view.template, &view.content, step)}
                    {step_fields(&view, step)}
                    <div class="actions step-actions">
                        {previous.map(|p| view! {
                            <button type="submit" name="go" value=p.key() class="secondary">"上一步"</button>
                        })}
                        <button type="submit" name="op" value="save" class="secondary">"保存"</button>
                        {next.map(|n| view! {
                            <button type="submit" name="go" value=n.key()>{format!("保存，下一步：{}", step_label(&view.content, n))}</button>
                        })}
                    </div>
                    <p class="hint script-fallback">"自动保存未启用：请点“保存”或“下一步”保存修改。"</p>
                </section>
            </div>
        </AutosaveForm>
    }
}

/// 班子成员's comments on the collective material, for its drafter: what the 班子 asks to
/// change in the draft, with the version each was written against.
fn colleague_panel(view: &EditorView) -> Option<AnyView> {
    (!view.colleague_comments.is_empty()).then(|| {
        view! {
            <details class="card review-note" open>
                <summary>{format!("班子成员意见（{} 条）", view.colleague_comments.len())}</summary>
                {crate::ui::components::comment_list::group_comment_list(view.colleague_comments.clone())}
                <p class="hint"><a href=format!("/meetings/{}/collective", view.meeting_id)>"到班子材料页查看全部"</a></p>
            </details>
        }
        .into_any()
    })
}

/// The reviewer's latest decision and the comments on the whole text, above every step. A
/// decision on an earlier round than the latest submitted one says so: the author has
/// handed in again since.
fn review_panel(view: &EditorView) -> Option<AnyView> {
    let latest = view.decisions.last()?.clone();
    let round = latest_round(view);
    let (current, earlier): (Vec<CommentView>, Vec<CommentView>) = view
        .comments
        .iter()
        .filter(|c| c.anchor == WHOLE)
        .cloned()
        .partition(|c| is_current(view, c));
    let heading = match RoundAge::of(latest.round, round) {
        RoundAge::Current => format!(
            "{}意见：{}",
            view.group_kind.words().review,
            latest.decision
        ),
        // Each round is decided before the next is handed in: an older decision is the
        // previous round's.
        _ => format!(
            "上一轮（第{}轮）审核意见：{}",
            latest.round, latest.decision
        ),
    };
    let steps_have_current = view
        .comments
        .iter()
        .any(|c| c.anchor != WHOLE && is_current(view, c));
    Some(
        view! {
            <section class="card review-note" aria-label="审核意见">
                <h2>{heading}</h2>
                <p class="muted">{round_label(latest.round, round)} " · " {latest.reviewer.clone()} " · " {latest.at.clone()}</p>
                {(!latest.reason.is_empty()).then(|| view! { <p class="comment-text">{latest.reason.clone()}</p> })}
                {(!current.is_empty()).then(|| comment_list(current, round))}
                {steps_have_current.then(|| view! {
                    <p class="hint">"针对具体部分的批注显示在相应步骤中，步骤列表中标有“批注”。"</p>
                })}
                {earlier_comments(earlier, round)}
            </section>
        }
        .into_any(),
    )
}

/// Comments of rounds before the latest, folded away and marked as such: already handed
/// in again, so history rather than something to act on.
fn earlier_comments(comments: Vec<CommentView>, latest: i64) -> Option<AnyView> {
    (!comments.is_empty()).then(|| {
        view! {
            <details class="earlier-comments">
                <summary>{format!("前几轮的批注（{} 条，已重新提交过）", comments.len())}</summary>
                {comment_list(comments, latest)}
            </details>
        }
        .into_any()
    })
}

/// The 批注 anchored to this step's part or to one of its items: the latest round's to act
/// on, earlier rounds' folded away as history.
fn step_comments(view: &EditorView, step: Step) -> Option<AnyView> {
    let round = latest_round(view);
    let (current, earlier): (Vec<CommentView>, Vec<CommentView>) = comments_of_step(view, step)
        .into_iter()
        .partition(|c| is_current(view, c));
    if current.is_empty() && earlier.is_empty() {
        return None;
    }
    Some(
        view! {
            {(!current.is_empty()).then(|| view! {
                <section class="review-note" aria-label="审核批注">
                    <h3>{format!("{}的批注", view.group_kind.words().head)}</h3>
                    {comment_list(current, round)}
                </section>
            })}
            {(!earlier.is_empty()).then(|| view! {
                <section class="review-note earlier" aria-label="前几轮的批注">
                    {earlier_comments(earlier, round)}
                </section>
            })}
        }
        .into_any(),
    )
}

fn read_only_step(view: EditorView, step: Step) -> impl IntoView {
    view! {
        <div class="editor-layout">
            {step_nav(&view, step, false)}
            <section class="step-body">
                <h2>{step_label(&view.content, step)}</h2>
                <div class="notice warn">"材料已" {view.state.label()} "，不能修改。" {
                    (view.state == MaterialState::Submitted).then_some("如需修改，请到“体检与提交”撤回提交。")
                }</div>
                {step_comments(&view, step)}
                <fieldset disabled class="read-only">{step_fields(&view, step)}</fieldset>
            </section>
        </div>
    }
}

fn step_fields(view: &EditorView, step: Step) -> AnyView {
    let material = &view.content;
    match step {
        Step::Opening => view! {
            <TextField id="f-title".into() name="title".into() label="材料标题".into() value=material.title.clone() />
            <TextField id="f-speaker".into() name="speaker".into() label="发言人（单位职务 姓名）".into()
                value=material.speaker.clone().unwrap_or_default() />
            <CountedArea id="f-preamble".into() name="preamble".into() label="开头语（选填，每段一行）".into()
                value=paragraphs_text(&material.preamble) rows=4
                placeholder="根据支部统一安排，我认真学习了……，现将有关情况报告如下：".to_string() />
        }
        .into_any(),
        Step::Closing => view! {
            <TextField id="f-closing".into() name="closing".into() label="结束语".into()
                value=material.closing.clone().unwrap_or_default() />
            <TextField id="f-date".into() name="date".into() label="落款日期（选填）".into()
                value=material.date.clone().unwrap_or_default() placeholder="2026年1月15日".to_string() />
        }
        .into_any(),
        Step::Check => ().into_any(),
        Step::Part(index) => part_fields(view, index).into_any(),
    }
}

fn part_fields(view: &EditorView, index: usize) -> impl IntoView + use<> {
    let material = &view.content;
    let Some(part) = material.parts.get(index) else {
        return ().into_any();
    };
    let target = view
        .template
        .part(part.kind)
        .and_then(|p| Some((p.min_chars?, p.max_chars?)));
    let heading = view! {
        <TextField id="f-heading".into() name="heading".into() label="本部分标题".into() value=part.heading.clone() />
    };
    // Parts of free paragraphs keep the numbered items an import found in them.
    if !part.kind.has_items() && part.items.is_empty() {
        let mut area = view! {
            <CountedArea id="f-paragraphs".into() name="paragraphs".into() label="正文（每段一行）".into()
                value=paragraphs_text(&part.paragraphs) rows=12 />
        }
        .into_any();
        if let Some(target) = target {
            area = view! {
                <CountedArea id="f-paragraphs".into() name="paragraphs".into() label="正文（每段一行）".into()
                    value=paragraphs_text(&part.paragraphs) rows=12 target=target />
            }
            .into_any();
        }
        return view! { {heading} {area} }.into_any();
    }
    let kind = part.kind;
    let noun = match kind {
        PartKind::Problems => "问题",
        PartKind::Causes => "原因",
        PartKind::Measures => "措施",
        _ => "条目",
    };
    let problems: Vec<Item> = material.items(PartKind::Problems).cloned().collect();
    let items = part
        .items
        .iter()
        .enumerate()
        .map(|(number, item)| {
            item_fields(
                &view.template,
                kind,
                noun,
                number,
                item,
                &problems,
                &view.opinions,
            )
        })
        .collect_view();
    let removed = material
        .removed
        .iter()
        .filter(|removed| removed.kind == kind)
        .map(|removed| {
            let label = removed.item.label(20);
            view! {
                <li>
                    {label}
                    " "
                    <button type="submit" name="op" value=format!("restore:{}", removed.item.id.0) class="secondary small">"恢复"</button>
                </li>
            }
        })
        .collect_view();
    let has_removed = material.removed.iter().any(|r| r.kind == kind);
    let empty = part.items.is_empty();
    let opinions = (kind == PartKind::Problems).then(|| opinions_panel(view));
    if !kind.has_items() {
        // Paragraphs first, then the numbered items, as the document prints them.
        return view! {
            {heading}
            <CountedArea id="f-paragraphs".into() name="paragraphs".into() label="正文（每段一行）".into()
                value=paragraphs_text(&part.paragraphs) rows=6 />
            <div class="items">{items}</div>
            {has_removed.then(|| view! {
                <details class="removed">
                    <summary>"已删除的条目（可恢复）"</summary>
                    <ul>{removed}</ul>
                </details>
            })}
        }
        .into_any();
    }
    view! {
        {heading}
        {opinions}
        {empty.then(|| view! { <p class="muted">{format!("还没有{noun}，点下面的“添加{noun}”开始。")}</p> })}
        <div class="items">{items}</div>
        <div id="items-end" class="actions">
            <button type="submit" name="op" value="add" class="secondary">{format!("＋ 添加{noun}")}</button>
        </div>
        <CountedArea id="f-paragraphs".into() name="paragraphs".into()
            label="本部分的其他文字（选填，如总述，每段一行）".into()
            value=paragraphs_text(&part.paragraphs) rows=3 />
        {has_removed.then(|| view! {
            <details class="removed">
                <summary>"已删除的条目（可恢复）"</summary>
                <ul>{removed}</ul>
            </details>
        })}
    }
    .into_any()
}

fn item_fields(
    template: &Template,
    kind: PartKind,
    noun: &'static str,
    number: usize,
    item: &Item,
    problems: &[Item],
    opinions: &[ReceivedOpinion],
) -> impl IntoView + use<> {
    let field = |name: &str| format!("item.{number}.{name}");
    let dom_id = |name: &str| format!("i{number}-{name}");
    let id = item.id.0.clone();
    let fields = match kind {
        PartKind::Problems => {
            let current = item.category.clone().unwrap_or_default();
            let mut aspects = template.aspects.clone();
            if !current.is_empty() && !aspects.contains(&current) {
                aspects.push(current.clone());
            }
            view! {
                <label for=dom_id("category")>"查摆方面"</label>
                <select id=dom_id("category") name=field("category")>
                    <option value="" selected=current.is_empty()>"（请选择）"</option>
                    {aspects.into_iter().map(|aspect| {
                        let selected = aspect == current;
                        view! { <option value=aspect.clone() selected=selected>{aspect.clone()}</option> }
                    }).collect_view()}
                </select>
                <TextField id=dom_id("heading") name=field("heading") label="问题概括（一句话）".into()
                    value=item.heading.clone() placeholder="在……方面，……不够".to_string() />
                <CountedArea id=dom_id("text") name=field("text") label="具体表现".into() value=item.text.clone() rows=4 />
                <CountedArea id=dom_id("example") name=field("example") label="具体事例（时间、事情、数字）".into()
                    value=item.example.clone().unwrap_or_default() rows=3 placeholder="比如，今年3月……".to_string() />
                <CountedArea id=dom_id("cause") name=field("cause") label="本问题的原因（选填，“究其原因”）".into()
                    value=item.cause.clone().unwrap_or_default() rows=2 />
                {source_fields(number, item, opinions)}
            }
            .into_any()
        }
        PartKind::Causes => view! {
            <TextField id=dom_id("heading") name=field("heading") label="剖析方面（如 理想信念、党性修养）".into()
                value=item.heading.clone() list="cause-dimensions".to_string() />
            <datalist id="cause-dimensions">
                {template.thought_dimensions.iter().map(|d| view! { <option value=d.clone()></option> }).collect_view()}
            </datalist>
            <CountedArea id=dom_id("text") name=field("text") label="剖析".into() value=item.text.clone() rows=4 />
            {links_fields(number, item, problems)}
        }
        .into_any(),
        PartKind::Measures => {
            let ongoing = item.deadline == Some(Deadline::Ongoing);
            let date = match item.deadline {
                Some(Deadline::By(date)) => date.format("%Y-%m-%d").to_string(),
                _ => String::new(),
            };
            let follow_ups: Vec<String> = item
                .follow_ups
                .iter()
                .map(|d| d.format("%Y-%m-%d").to_string())
                .chain(std::iter::once(String::new()))
                .collect();
            view! {
                <TextField id=dom_id("heading") name=field("heading") label="措施概括（选填）".into() value=item.heading.clone() />
                <CountedArea id=dom_id("text") name=field("text") label="具体措施（做什么、做多少）".into() value=item.text.clone() rows=3 />
                {links_fields(number, item, problems)}
                <div class="grid two">
                    <div>
                        <label for=dom_id("deadline")>"时限"</label>
                        <input type="date" id=dom_id("deadline") name=field("deadline") value=date />
                        <label class="check">
                            <input type="checkbox" name=field("ongoing") checked=ongoing />
                            "长期坚持"
                        </label>
                    </div>
                    <div>
                        <TextField id=dom_id("standard") name=field("standard") label="完成标准".into()
                            value=item.standard.clone().unwrap_or_default() placeholder="如：形成学习笔记2万字".to_string() />
                    </div>
                </div>
                <TextField id=dom_id("owner") name=field("owner") label="责任人（选填，不填即本人）".into()
                    value=item.owner.clone().unwrap_or_default() placeholder="如：办公室 李华；班子材料写 责任领导：……；责任部门：……".to_string() />
                <fieldset class="follow-ups">
                    <legend>"跟踪日期（跟踪督办、回头看，选填）"</legend>
                    {follow_ups.into_iter().map(|d| view! {
                        <input type="date" name=field("follow_up") value=d aria-label="跟踪日期" />
                    }).collect_view()}
                </fieldset>
            }
            .into_any()
        }
        // An item numbered in a part of paragraphs (a suggestion, last year's item).
        _ => view! {
            <TextField id=dom_id("heading") name=field("heading") label="条目标题（选填）".into() value=item.heading.clone() />
            <CountedArea id=dom_id("text") name=field("text") label="内容".into() value=item.text.clone() rows=3 />
        }
        .into_any(),
    };
    view! {
        <fieldset class="item" id=format!("item-{id}")>
            <legend>{format!("（{}）{noun}", chinese_number(number + 1))}</legend>
            <input type="hidden" name=field("id") value=id.clone() />
            {fields}
            <div class="item-tools">
                <button type="submit" name="op" value=format!("up:{id}") class="secondary small">"上移"</button>
                <button type="submit" name="op" value=format!("down:{id}") class="secondary small">"下移"</button>
                <button type="submit" name="op" value=format!("remove:{id}") class="secondary small">"删除"</button>
            </div>
        </fieldset>
    }
}

/// Where a problem came from, and the opinions addressed to the author that it answers.
fn source_fields(
    number: usize,
    item: &Item,
    opinions: &[ReceivedOpinion],
) -> impl IntoView + use<> {
    let current = item.source.map(ProblemSource::code).unwrap_or_default();
    let answers_name = format!("item.{number}.answers");
    view! {
        <label for=format!("i{number}-source")>"问题来源"</label>
        <select id=format!("i{number}-source") name=format!("item.{number}.source")>
            <option value="" selected=current.is_empty()>"（未注明）"</option>
            {ProblemSource::ALL.into_iter().map(|source| view! {
                <option value=source.code() selected=source.code() == current>{source.label()}</option>
            }).collect_view()}
        </select>
        {(!opinions.is_empty()).then(|| view! {
            <input type="hidden" name=format!("item.{number}.answers_shown") value="1" />
            <fieldset class="links">
                <legend>"本问题回应的意见"</legend>
                {opinions.iter().map(|opinion| {
                    let checked = item.answers.contains(&opinion.id);
                    view! {
                        <label class="check">
                            <input type="checkbox" name=answers_name.clone() value=opinion.id.clone() checked=checked />
                            {format!("{}：{}", opinion.kind.label(), crate::domain::text::shortened(&opinion.text, 30))}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        })}
    }
}

/// The opinions addressed to the author, each answered by a problem or declined on the
/// meeting page.
fn opinions_panel(view: &EditorView) -> Option<AnyView> {
    if view.opinions.is_empty() {
        return None;
    }
    let answered: Vec<&str> = view
        .content
        .items(PartKind::Problems)
        .flat_map(|item| item.answers.iter().map(String::as_str))
        .collect();
    let rows = view
        .opinions
        .iter()
        .map(|opinion| {
            let status = if answered.contains(&opinion.id.as_str()) {
                "已在问题中回应"
            } else if opinion.declined.is_some() {
                "已说明不采纳"
            } else {
                "待回应"
            };
            let from = opinion
                .from
                .as_ref()
                .map(|name| format!("（{name}）"))
                .unwrap_or_default();
            view! {
                <li>
                    <strong>{opinion.kind.label()}</strong>{from}"：" {opinion.text.clone()}
                    " " <span class="badge">{status}</span>
                </li>
            }
        })
        .collect_view();
    Some(
        view! {
            <section class="review-note" aria-label="收到的意见">
                <h3>"收到的意见"</h3>
                <p class="hint">"请在问题中勾选“本问题回应的意见”，不采纳的请到"
                    <a href=format!("/meetings/{}", view.meeting_id)>"会前会后"</a>"页说明理由。"</p>
                <ul>{rows}</ul>
            </section>
        }
        .into_any(),
    )
}

fn links_fields(number: usize, item: &Item, problems: &[Item]) -> impl IntoView + use<> {
    let name = format!("item.{number}.link");
    view! {
        <input type="hidden" name=format!("item.{number}.links_shown") value="1" />
        <fieldset class="links">
            <legend>"对应的问题"</legend>
            {if problems.is_empty() {
                view! { <p class="muted">"请先在“问题”部分填写问题，再回来勾选。"</p> }.into_any()
            } else {
                problems.iter().enumerate().map(|(index, problem)| {
                    let checked = item.links.contains(&problem.id);
                    let label = format!("（{}）{}", chinese_number(index + 1), problem.label(24));
                    view! {
                        <label class="check">
                            <input type="checkbox" name=name.clone() value=problem.id.0.clone() checked=checked />
                            {label}
                        </label>
                    }
                }).collect_view().into_any()
            }}
        </fieldset>
    }
}

fn spot_url(view: &EditorView, finding: &Finding) -> String {
    let material = &view.content;
    // A missing 时限 is filled in the check step's list, beside every other one.
    if finding.rule == Rule::MeasureWithoutDeadline
        && view.state.editable()
        && let Spot::Item(id) = &finding.spot
    {
        return format!(
            "/materials/{}?step={}#deadline-{}",
            view.material_id,
            Step::Check.key(),
            id.0
        );
    }
    let (step, anchor) = match &finding.spot {
        Spot::Item(id) => (
            step_of_item(material, id).unwrap_or(Step::Opening),
            format!("#item-{}", id.0),
        ),
        Spot::Part(kind) => (
            step_of_kind(material, *kind).unwrap_or(Step::Opening),
            String::new(),
        ),
        Spot::Material => (Step::Opening, String::new()),
    };
    format!(
        "/materials/{}?step={}{anchor}",
        view.material_id,
        step.key()
    )
}

fn check_step(view: EditorView, actions: PageActions) -> impl IntoView {
    let errors: Vec<&Finding> = view
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    let warnings: Vec<&Finding> = view
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .collect();
    let blocked = !errors.is_empty();
    let finding_list = |findings: &[&Finding], class: &'static str| {
        findings
            .iter()
            .map(|finding| {
                view! { <li class=class><a href=spot_url(&view, finding)>{finding.message.clone()}</a></li> }
            })
            .collect_view()
    };
    let error_items = finding_list(&errors, "finding error");
    let warning_items = finding_list(&warnings, "finding warning");
    let summary = match (errors.len(), warnings.len()) {
        (0, 0) => "材料体检通过，没有发现问题。".to_string(),
        (0, w) => format!("没有必须处理的问题；有 {w} 条修改建议，可酌情处理。"),
        (e, w) => format!("有 {e} 个问题必须处理后才能提交，另有 {w} 条修改建议。"),
    };
    let state = view.state;
    let rounds = view.rounds.clone();
    let since_approved = view.since_approved.clone();
    view! {
        <div class="editor-layout">
            {step_nav(&view, Step::Check, false)}
            <section class="step-body">
                <h2>"材料体检"</h2>
                <p class=if blocked { "notice error" } else { "notice ok" }>{summary}</p>
                <ul class="findings">{error_items}{warning_items}</ul>
                {undated_measures(&view)}
                <h2>"问题、原因、措施对应情况"</h2>
                {link_matrix(&view.content)}
                {crate::domain::material::linked_in_order(&view.content).then(|| view! {
                    <p class="notice warn">
                        "整改措施是按顺序与问题对应的：第一条措施对应第一个问题，依此类推。如有不对应，请到“"
                        {step_label(&view.content, Step::Part(measures_part(&view.content).unwrap_or(0)))}
                        "”一步修改每条措施“针对的问题”。"
                    </p>
                })}
                <SimilarityPanel data=actions.similarity />
                <h2>"提交"</h2>
                {action_error(actions.submit.into())}
                {action_error(actions.withdraw.into())}
                {match state {
                    MaterialState::Draft | MaterialState::Returned => view! {
                        <PostForm action=actions.submit>
                            <input type="hidden" name="material_id" value=view.material_id.clone() />
                            <input type="hidden" name="version" value=view.version />
                            <p class="hint">{format!(
                                "提交后材料会固定为一个版本交给{}审核；审核期间不能修改，可撤回。",
                                view.group_kind.words().head
                            )}</p>
                            <div class="actions">
                                <button type="submit" disabled=blocked>{format!("提交给{}", view.group_kind.words().head)}</button>
                                {blocked.then(|| view! { <span class="muted">"请先处理上面红色的问题"</span> })}
                            </div>
                        </PostForm>
                    }.into_any(),
                    MaterialState::Submitted => view! {
                        <p class="notice ok">{format!("材料已提交，等待{}。", view.group_kind.words().review)}</p>
                        <PostForm action=actions.withdraw>
                            <input type="hidden" name="material_id" value=view.material_id.clone() />
                            <button type="submit" class="secondary">"撤回提交，继续修改"</button>
                        </PostForm>
                    }.into_any(),
                    MaterialState::Approved => view! {
                        <p class="notice ok">"材料已审核通过。会上发言后，可在此根据批评意见修改并提交定稿。"</p>
                    }.into_any(),
                    MaterialState::Spoken => view! {
                        {action_error(actions.finalise.into())}
                        <p class="notice ok">"材料已在会上发言。请根据会上的批评意见修改，然后提交定稿；定稿后不能再修改。"</p>
                        <h3>"与审核通过版本相比的修改"</h3>
                        {if since_approved.is_empty() {
                            view! { <p class="muted">"还没有修改。"</p> }.into_any()
                        } else {
                            view! { <DiffView lines=since_approved.clone() /> }.into_any()
                        }}
                        <PostForm action=actions.finalise>
                            <input type="hidden" name="material_id" value=view.material_id.clone() />
                            <input type="hidden" name="version" value=view.version />
                            <div class="actions">
                                <button type="submit" disabled=blocked>"提交定稿"</button>
                            </div>
                        </PostForm>
                    }.into_any(),
                    MaterialState::Final | MaterialState::Reported => view! {
                        <p class="notice ok">"材料" {state.label()} "。"</p>
                        {(!since_approved.is_empty()).then(|| view! {
                            <h3>"定稿与审核通过版本相比的修改"</h3>
                            <DiffView lines=since_approved.clone() />
                        })}
                    }.into_any(),
                }}
                {(!rounds.is_empty()).then(|| view! {
                    <h3>"提交记录"</h3>
                    <ul>
                        {rounds.into_iter().map(|r| view! {
                            <li>{format!("第 {} 次提交 · {} · 版本 {}", r.round, r.at, r.version)}</li>
                        }).collect_view()}
                    </ul>
                })}
            </section>
        </div>
    }
}

/// The index of the first 整改措施 part.
fn measures_part(material: &Material) -> Option<usize> {
    material
        .parts
        .iter()
        .position(|part| part.kind == PartKind::Measures)
}

/// Every measure still without 时限, each with a date field and 长期坚持, saved together:
/// an imported material usually lacks them all, and one list beats one step at a time.
/// The form carries every measure of the part (ids only for the dated ones) so the save
/// keeps their order; follow-up dates ride along unchanged.
fn undated_measures(view: &EditorView) -> Option<AnyView> {
    if !view.state.editable() {
        return None;
    }
    let forms: Vec<AnyView> = view
        .content
        .parts
        .iter()
        .enumerate()
        .filter(|(_, part)| part.kind == PartKind::Measures)
        .filter(|(_, part)| part.items.iter().any(|item| item.deadline.is_none()))
        .map(|(index, part)| {
            let step = Step::Part(index);
            let rows = part
                .items
                .iter()
                .enumerate()
                .map(|(number, item)| {
                    let field = move |name: &str| format!("item.{number}.{name}");
                    let id = item.id.0.clone();
                    if item.deadline.is_some() {
                        return view! { <input type="hidden" name=field("id") value=id /> }.into_any();
                    }
                    let dom_id = format!("deadline-{id}");
                    let label = format!("（{}）{}", chinese_number(number + 1), item.label(40));
                    let follow_ups = item
                        .follow_ups
                        .iter()
                        .map(|date| view! {
                            <input type="hidden" name=field("follow_up") value=date.format("%Y-%m-%d").to_string() />
                        })
                        .collect_view();
                    view! {
                        <li class="undated">
                            <input type="hidden" name=field("id") value=id />
                            <label for=dom_id.clone()>{label}</label>
                            <span class="deadline-choice">
                                <input type="date" id=dom_id name=field("deadline") />
                                <label class="check">
                                    <input type="checkbox" name=field("ongoing") />
                                    "长期坚持"
                                </label>
                            </span>
                            {follow_ups}
                        </li>
                    }
                    .into_any()
                })
                .collect_view();
            let (material_id, version) = (view.material_id.clone(), view.version);
            let (saved_at, request_id) = (view.updated_at.clone(), view.request_id.clone());
            view! {
                <AutosaveForm material_id=material_id.clone() step=step.key() version
                    saved_at=saved_at.clone()>
                    <input type="hidden" name="material_id" value=material_id />
                    <input type="hidden" name="base_version" value=version />
                    <input type="hidden" name="request_id" value=request_id />
                    <input type="hidden" name="step" value=step.key() />
                    <ul class="undated-measures">{rows}</ul>
                    <div class="actions">
                        <button type="submit" name="go" value=Step::Check.key()>"保存时限"</button>
                        <SaveIndicator saved_at />
                    </div>
                </AutosaveForm>
            }
            .into_any()
        })
        .collect();
    if forms.is_empty() {
        return None;
    }
    Some(
        view! {
            <section class="undated-list" id="deadlines" aria-labelledby="deadlines-heading">
                <h2 id="deadlines-heading">"补填整改时限"</h2>
                <p class="hint">"以下整改措施还没有时限：每条填写完成日期，或勾选“长期坚持”，一起保存。"</p>
                {forms}
            </section>
        }
        .into_any(),
    )
}

fn link_matrix(material: &Material) -> impl IntoView + use<> {
    let links = material.links();
    let name_of = |kind: PartKind, id: &crate::domain::material::ItemId| {
        material
            .items(kind)
            .position(|item| &item.id == id)
            .map(|index| format!("（{}）", chinese_number(index + 1)))
            .unwrap_or_default()
    };
    let problems: Vec<&Item> = material.items(PartKind::Problems).collect();
    if problems.is_empty() {
        return view! { <p class="muted">"还没有填写问题。"</p> }.into_any();
    }
    let rows = links
        .rows
        .iter()
        .zip(problems.iter())
        .enumerate()
        .map(|(index, (row, problem))| {
            let causes: Vec<String> = row
                .causes
                .iter()
                .map(|id| name_of(PartKind::Causes, id))
                .collect();
            let measures: Vec<String> = row
                .measures
                .iter()
                .map(|id| name_of(PartKind::Measures, id))
                .collect();
            let missing = |list: &[String]| list.is_empty();
            view! {
                <tr>
                    <td>{format!("（{}）{}", chinese_number(index + 1), problem.label(24))}</td>
                    <td class:orphan=missing(&causes)>{if causes.is_empty() { "无".to_string() } else { causes.join("") }}</td>
                    <td class:orphan=missing(&measures)>{if measures.is_empty() { "无".to_string() } else { measures.join("") }}</td>
                </tr>
            }
        })
        .collect_view();
    let orphans: Vec<String> = links
        .causes_without_problem
        .iter()
        .map(|id| format!("原因{}没有对应问题", name_of(PartKind::Causes, id)))
        .chain(
            links
                .measures_without_problem
                .iter()
                .map(|id| format!("措施{}没有对应问题", name_of(PartKind::Measures, id))),
        )
        .collect();
    view! {
        <div class="table-wrap">
            <table class="link-matrix">
                <thead><tr><th>"问题"</th><th>"对应原因"</th><th>"对应措施"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {(!orphans.is_empty()).then(|| view! {
            <ul class="orphans">{orphans.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}</ul>
        })}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_step_offers_handing_in_only_while_the_material_can_be_handed_in() {
        assert_eq!(check_note(MaterialState::Draft, 2), "2 个问题");
        assert_eq!(check_note(MaterialState::Draft, 0), "可以提交");
        assert_eq!(check_note(MaterialState::Returned, 0), "可以提交");
        assert_eq!(check_note(MaterialState::Spoken, 0), "可以定稿");
        assert_eq!(check_note(MaterialState::Submitted, 0), "已提交");
        assert_eq!(check_note(MaterialState::Final, 0), "已定稿");
        assert_eq!(check_note(MaterialState::Final, 3), "已定稿");
        assert_eq!(check_note(MaterialState::Reported, 0), "已报送");
    }
}
