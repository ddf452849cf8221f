//! The 会议记录 page: attendance, each speaker, the notes.

use super::*;

/// The record page's actions; the ballot section (`ballot.rs`) opens and closes the 测评.
#[derive(Clone, Copy)]
pub(super) struct MinutesActions {
    attendance: ServerAction<SaveAttendance>,
    speaker: ServerAction<SaveSpeaker>,
    notes: ServerAction<SaveMinutesNotes>,
    pub(super) ballot: ServerAction<SetBallotPhase>,
}

#[component]
pub fn MinutesPage() -> impl IntoView {
    let id = meeting_id();
    let actions = MinutesActions {
        attendance: ServerAction::new(),
        speaker: ServerAction::new(),
        notes: ServerAction::new(),
        ballot: ServerAction::new(),
    };
    let data = load(id, meeting_record);
    view! {
        <Title text="会议记录 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| loaded(data, move |view| minutes_page(view, actions)) />
    }
}

fn minutes_page(view: MinutesView, actions: MinutesActions) -> impl IntoView {
    let meeting_id = view.meeting_id.clone();
    let quorum_class = if view.quorum.met() {
        "notice ok"
    } else {
        "notice error"
    };
    let tabs = view
        .is_secretary
        .then(|| meeting_tabs(&meeting_id, "/minutes"));
    let heading = format!(
        "会议日期：{} · 记录人：{}",
        view.meeting_on.clone().unwrap_or_else(|| "未定".into()),
        crate::domain::cycle::recorder_label(
            view.recorder
                .as_deref()
                .or(Some(view.group_kind.words().head))
        )
    );
    let attendance_rows = view
        .speakers
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let order_name = format!("order[{PERSON_KEY}{}]", s.user_id);
            let present_name = format!("present[{PERSON_KEY}{}]", s.user_id);
            let order_label = format!("{}的发言顺序", s.name);
            let present_label = format!("{}出席", s.name);
            let (name, present) = (s.name.clone(), s.present);
            view! {
                <tr>
                    <td><input type="number" min="1" name=order_name value=index + 1 prop:value=(index + 1).to_string()
                        aria-label=order_label class="narrow" /></td>
                    <td>{name}</td>
                    <td><input type="checkbox" name=present_name checked=present prop:checked=present aria-label=present_label /></td>
                </tr>
            }
        })
        .collect_view();
    let speaker_forms = view
        .speakers
        .iter()
        .cloned()
        .map(|s| speaker_form(meeting_id.clone(), s, actions))
        .collect_view();
    let ballot = (view.ballot_enabled && view.is_secretary).then(|| ballot_section(&view, actions));
    let (attendance_id, notes_id, notes) =
        (meeting_id.clone(), meeting_id.clone(), view.notes.clone());
    // The 通报 are written out from the ledger and the 征求意见 for the secretary to read
    // out (the recorder has no access to the ledger).
    let agenda_download = view.is_secretary.then(|| view! {
        <p>
            <DownloadLink href=format!("/meetings/{meeting_id}/agenda.docx") label="下载会议通报材料（.docx）" busy="正在生成…" primary=false />
            <span class="hint">" 按会议模板的议程，由整改台账和征求意见情况自动生成上次整改落实情况、征求意见情况等通报稿，并写入会议记录和报送材料。"</span>
        </p>
    });
    view! {
        <h1>{view.title.clone()} " · 会议记录"</h1>
        {tabs}
        <p>{heading}</p>
        <p class=quorum_class role="status">{view.quorum_text.clone()}</p>
        <section class="card">
            <h2>"出席和发言顺序"</h2>
            {outcome(actions.attendance, "已保存")}
            <PostForm action=actions.attendance>
                <input type="hidden" name="meeting_id" value=attendance_id />
                <div class="table-wrap"><table>
                    <thead><tr><th>"发言顺序"</th><th>"姓名"</th><th>"出席"</th></tr></thead>
                    <tbody>{attendance_rows}</tbody>
                </table></div>
                <div class="actions"><button type="submit" class="secondary">"保存出席和顺序"</button></div>
            </PostForm>
        </section>
        <section class="card">
            <h2>"主持人通报、点评和总结"</h2>
            {agenda_download}
            {outcome(actions.notes, "已保存")}
            <PostForm action=actions.notes>
                <input type="hidden" name="meeting_id" value=notes_id />
                <label for="minutes-notes">"会议议程、通报事项、上级点评、书记总结（每段一行）"</label>
                <textarea id="minutes-notes" name="notes" rows="5">{notes}</textarea>
                <div class="actions"><button type="submit" class="secondary">"保存"</button></div>
            </PostForm>
        </section>
        <section class="card">
            <h2>"逐人发言记录"</h2>
            {outcome(actions.speaker, "已保存")}
            {speaker_forms}
        </section>
        {ballot}
    }
}

fn speaker_form(meeting_id: String, s: SpeakerView, actions: MinutesActions) -> impl IntoView {
    let spoken = s.status != SpeakerStatus::Pending;
    let prefix = format!("speaker-{}", s.user_id);
    let material = s
        .material_state
        .map(|state| format!("材料：{}", state.label()))
        .unwrap_or_else(|| "材料：未开始".into());
    let legend = format!("{} · {}", s.name, s.status.label());
    let (criticisms_id, pledge_id) = (format!("{prefix}-criticisms"), format!("{prefix}-pledge"));
    let spoken_label = if s.present {
        "已发言"
    } else {
        "书面发言已宣读/提交"
    };
    let save_label = format!("保存{}的记录", s.name);
    let absent = (!s.present).then_some(" · 缺席（材料作书面发言）");
    let (criticisms, pledge) = (s.criticisms.clone(), s.pledge.clone());
    let (criticisms_text, pledge_text) = (s.criticisms.clone(), s.pledge.clone());
    view! {
        <fieldset class="item" id=prefix>
            <legend>{legend}</legend>
            <p class="muted">{material} {absent}</p>
            <PostForm action=actions.speaker>
                <input type="hidden" name="meeting_id" value=meeting_id />
                <input type="hidden" name="person_id" value=s.user_id />
                <input type="hidden" name="version" value=s.version />
                // The page is rebuilt in place after each save: the properties, not only
                // the markup, must carry the saved values, or a box the recorder typed in
                // would keep its text under another speaker's name.
                <label class="check"><input type="checkbox" name="spoken" checked=spoken prop:checked=spoken />{spoken_label}</label>
                <label for=criticisms_id.clone()>"其他同志提出的批评意见（每条一行，如“刘芳：……”）"</label>
                <textarea id=criticisms_id name="criticisms" rows="3" prop:value=criticisms>{criticisms_text}</textarea>
                <label for=pledge_id.clone()>"本人表态"</label>
                <textarea id=pledge_id name="pledge" rows="2" prop:value=pledge>{pledge_text}</textarea>
                <div class="actions"><button type="submit" class="secondary">{save_label}</button></div>
            </PostForm>
        </fieldset>
    }
}
