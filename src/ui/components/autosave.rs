//! Saving the editor's form in the background. Without JavaScript the form is a plain post
//! with a 保存 button; once hydrated, every change is saved ~1.5 s after typing stops, on
//! leaving a field and when the page is hidden or closed — text typed before hydration
//! included — and the buttons (next step, add an item …) save through the same call before
//! the page moves on.
//!
//! Rules that keep text safe: one save in flight at a time; a retry after a network
//! failure or a server error resends exactly the same payload under the same request id
//! (so the server answers a repeat instead of applying it twice, and nothing newer is
//! mistaken for it);
//! a refused save (another page saved first) stops autosaving and asks for a reload — the
//! server has kept the refused text whole.

use leptos::prelude::*;

/// What the save indicator shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveStatus {
    /// Nothing typed since the page loaded; shows when it was last saved.
    Clean(String),
    /// Typed, waiting for the pause.
    Dirty,
    Saving,
    Saved(String),
    /// The server could not be reached; retrying.
    Offline,
    /// The server failed (its database, say); retrying.
    ServerTrouble,
    /// The save was refused for a reason the author can fix (shown).
    Failed(String),
    /// Another page saved first; the text was kept on the server.
    Kept(String),
}

impl SaveStatus {
    pub fn text(&self) -> String {
        match self {
            Self::Clean(at) => format!("上次保存 {at}"),
            Self::Dirty => "有未保存的修改".into(),
            Self::Saving => "保存中…".into(),
            Self::Saved(at) => format!("已保存 {at}"),
            Self::Offline => "未连接，稍后重试".into(),
            Self::ServerTrouble => "服务器暂时出错，稍后自动重试；内容仍在页面上".into(),
            Self::Failed(message) => format!("未保存：{message}"),
            Self::Kept(_) => "已另存，需要处理".into(),
        }
    }

    pub fn class(&self) -> &'static str {
        match self {
            Self::Clean(_) | Self::Saved(_) => "save-status saved",
            Self::Dirty | Self::Saving => "save-status pending",
            Self::Offline | Self::ServerTrouble | Self::Failed(_) | Self::Kept(_) => {
                "save-status problem"
            }
        }
    }
}

/// Milliseconds of quiet before an autosave.
#[cfg(feature = "hydrate")]
const PAUSE_MS: u64 = 1500;
#[cfg(feature = "hydrate")]
const RETRY_MS: u64 = 3000;
#[cfg(feature = "hydrate")]
const VERSION_SLOT: &str = "{version}";

#[derive(Clone, Copy)]
pub struct Autosave {
    pub status: RwSignal<SaveStatus>,
    pub version: RwSignal<i64>,
    #[cfg_attr(
        not(feature = "hydrate"),
        allow(dead_code, reason = "read only by the browser build")
    )]
    form: NodeRef<leptos::html::Form>,
    #[cfg_attr(
        not(feature = "hydrate"),
        allow(dead_code, reason = "read only by the browser build")
    )]
    material_id: StoredValue<String>,
    #[cfg_attr(
        not(feature = "hydrate"),
        allow(dead_code, reason = "read only by the browser build")
    )]
    step: StoredValue<String>,
    #[cfg_attr(
        not(feature = "hydrate"),
        allow(dead_code, reason = "read only by the browser build")
    )]
    flags: StoredValue<Flags>,
}

#[derive(Default, Clone, Copy)]
#[cfg_attr(
    not(feature = "hydrate"),
    allow(dead_code, reason = "read only by the browser build")
)]
struct Flags {
    dirty: bool,
    in_flight: bool,
    halted: bool,
    /// Bumped by every change; a timer only fires if no change came after it was set.
    generation: u64,
}

impl Autosave {
    pub fn new(
        form: NodeRef<leptos::html::Form>,
        material_id: String,
        step: String,
        version: i64,
        saved_at: String,
    ) -> Self {
        let autosave = Self {
            status: RwSignal::new(SaveStatus::Clean(saved_at)),
            version: RwSignal::new(version),
            form,
            material_id: StoredValue::new(material_id),
            step: StoredValue::new(step),
            flags: StoredValue::new(Flags::default()),
        };
        #[cfg(feature = "hydrate")]
        {
            autosave.listen_for_leaving();
            autosave.catch_up_on_early_typing();
        }
        autosave
    }

    /// Something in the form changed.
    pub fn changed(self) {
        #[cfg(feature = "hydrate")]
        {
            let Some(flags) = self.flags.try_update_value(|flags| {
                flags.dirty = true;
                flags.generation += 1;
                *flags
            }) else {
                return;
            };
            if flags.halted {
                return;
            }
            self.status.set(SaveStatus::Dirty);
            let generation = flags.generation;
            set_timeout(
                move || {
                    if self
                        .flags
                        .try_with_value(|f| f.generation == generation)
                        .unwrap_or(false)
                    {
                        self.save_now();
                    }
                },
                std::time::Duration::from_millis(PAUSE_MS),
            );
        }
    }

    /// Saves now if anything is unsaved (leaving a field, hiding the page).
    pub fn save_now(self) {
        #[cfg(feature = "hydrate")]
        {
            let Some(flags) = self.flags.try_get_value() else {
                return;
            };
            if !flags.dirty || flags.halted {
                return;
            }
            if flags.in_flight {
                // The save in flight ends by looking at `dirty` again.
                return;
            }
            let Some(payload) = self.payload(None) else {
                return;
            };
            self.flags.update_value(|f| {
                f.dirty = false;
                f.in_flight = true;
            });
            self.send(payload, None);
        }
    }

    /// A button of the form was pressed: save everything with the button's name and value
    /// (an operation or a destination), then load the resulting page.
    pub fn submit(self, event: leptos::ev::SubmitEvent) {
        #[cfg(feature = "hydrate")]
        {
            event.prevent_default();
            let button = event.submitter().and_then(|element| {
                let name = element.get_attribute("name")?;
                let value = element.get_attribute("value").unwrap_or_default();
                Some((name, value))
            });
            self.submit_when_idle(button);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    }

    #[cfg(feature = "hydrate")]
    fn submit_when_idle(self, button: Option<(String, String)>) {
        let Some(flags) = self.flags.try_get_value() else {
            return;
        };
        if flags.in_flight {
            set_timeout(
                move || self.submit_when_idle(button),
                std::time::Duration::from_millis(150),
            );
            return;
        }
        let Some(payload) = self.payload(button.as_ref()) else {
            return;
        };
        let material_id = self.material_id.get_value();
        let target = match &button {
            Some((name, go)) if name == "go" => {
                crate::domain::editing::Step::destination(&material_id, go)
            }
            _ => None,
        }
        .unwrap_or_else(|| {
            let anchor = match &button {
                Some((_, op)) if op == "add" => "#items-end".to_string(),
                Some((_, op)) => op
                    .split_once(':')
                    .map(|(_, id)| format!("#item-{id}"))
                    .unwrap_or_default(),
                None => String::new(),
            };
            // A fresh query (the saved version) so the browser loads the page again even
            // when only the anchor differs.
            format!(
                "/materials/{material_id}?step={}&v={VERSION_SLOT}{anchor}",
                self.step.get_value()
            )
        });
        self.flags.update_value(|f| {
            f.dirty = false;
            f.in_flight = true;
        });
        self.send(payload, Some(target));
    }

    /// The form as it is now, with a fresh request id and the current base version.
    #[cfg(feature = "hydrate")]
    fn payload(self, button: Option<&(String, String)>) -> Option<web_sys::FormData> {
        let form = self.form.get_untracked()?;
        let data = web_sys::FormData::new_with_form(&form).ok()?;
        let _ = data.set_with_str("request_id", &request_id());
        let _ = data.set_with_str("base_version", &self.version.get_untracked().to_string());
        let _ = data.set_with_str("js", "1");
        if let Some((name, value)) = button {
            let _ = data.set_with_str(name, value);
        }
        Some(data)
    }

    /// Sends one payload; retries it unchanged while the network is down.
    #[cfg(feature = "hydrate")]
    fn send(self, payload: web_sys::FormData, then_go: Option<String>) {
        use crate::server::AppError;
        use crate::server::materials::save_material_step;
        self.status.set(SaveStatus::Saving);
        leptos::task::spawn_local(async move {
            let result = save_material_step(payload.clone().into()).await;
            let Some(_) = self.flags.try_get_value() else {
                return;
            };
            match result {
                Ok(reply) => {
                    self.version.set(reply.version);
                    self.status.set(SaveStatus::Saved(reply.saved_at));
                    self.flags.update_value(|f| f.in_flight = false);
                    match then_go {
                        Some(target) => {
                            go_to(&target.replace(VERSION_SLOT, &reply.version.to_string()))
                        }
                        None => self.save_now(),
                    }
                }
                // Transient: the same payload under the same request id again, so a save
                // the server did apply before failing to answer is answered as a repeat.
                Err(error @ (AppError::Transport(_) | AppError::Internal)) => {
                    self.status.set(if error == AppError::Internal {
                        SaveStatus::ServerTrouble
                    } else {
                        SaveStatus::Offline
                    });
                    set_timeout(
                        move || self.send(payload, then_go),
                        std::time::Duration::from_millis(RETRY_MS),
                    );
                }
                Err(AppError::Conflict(message)) => {
                    self.flags.update_value(|f| {
                        f.in_flight = false;
                        f.halted = true;
                    });
                    self.status.set(SaveStatus::Kept(message));
                }
                Err(AppError::Unauthenticated) => {
                    self.flags.update_value(|f| {
                        f.in_flight = false;
                        f.dirty = true;
                    });
                    self.status.set(SaveStatus::Failed(
                        "登录已过期，请在新标签页登录后回到此页，内容仍在页面上".into(),
                    ));
                }
                Err(other) => {
                    self.flags.update_value(|f| {
                        f.in_flight = false;
                        f.dirty = true;
                    });
                    self.status.set(SaveStatus::Failed(other.to_string()));
                }
            }
        });
    }

    /// The page can be typed in before its script has loaded (a slow line, a busy machine),
    /// and no change event reaches the autosave then. So once the form is in hand, every
    /// field is compared with the text the server sent; any difference is a change.
    #[cfg(feature = "hydrate")]
    fn catch_up_on_early_typing(self) {
        Effect::new(move |_| {
            if self
                .form
                .get()
                .is_some_and(|form| edited_on_the_page(&form))
            {
                self.changed();
            }
        });
    }

    /// Closing the tab or leaving the page: send what is unsaved as a beacon, which the
    /// browser delivers even as the page goes away. A page restored from the back/forward
    /// cache is reloaded, since its version may be behind.
    #[cfg(feature = "hydrate")]
    fn listen_for_leaving(self) {
        let hidden = window_event_listener_untyped("visibilitychange", move |_| {
            if document().visibility_state() == web_sys::VisibilityState::Hidden {
                self.save_now();
            }
        });
        let leaving = window_event_listener_untyped("pagehide", move |_| {
            let Some(flags) = self.flags.try_get_value() else {
                return;
            };
            // A save still in flight may be cut off with the page, so it is sent again:
            // if the first one did land, this one is refused and kept, never lost.
            if (flags.dirty || flags.in_flight)
                && !flags.halted
                && let Some(payload) = self.payload(None)
            {
                let _ = window()
                    .navigator()
                    .send_beacon_with_opt_form_data("/api/save_material_step", Some(&payload));
            }
        });
        let shown = window_event_listener_untyped("pageshow", move |event| {
            use wasm_bindgen::JsCast;
            if event
                .dyn_ref::<web_sys::PageTransitionEvent>()
                .is_some_and(|e| e.persisted())
            {
                let _ = window().location().reload();
            }
        });
        on_cleanup(move || {
            hidden.remove();
            leaving.remove();
            shown.remove();
        });
    }
}

/// Whether any field of `form` differs from what the page was served with.
#[cfg(feature = "hydrate")]
fn edited_on_the_page(form: &web_sys::HtmlFormElement) -> bool {
    use wasm_bindgen::JsCast;
    use web_sys::{HtmlInputElement, HtmlOptionElement, HtmlSelectElement, HtmlTextAreaElement};
    let fields = form.elements();
    (0..fields.length())
        .filter_map(|index| fields.item(index))
        .any(|field| {
            if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
                // A default that cannot be read counts as changed: one save too many is harmless.
                !matches!(area.default_value(), Ok(served) if served == area.value())
            } else if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                match input.type_().as_str() {
                    "checkbox" | "radio" => input.checked() != input.default_checked(),
                    // Set by the page itself, never by the author.
                    "hidden" | "submit" | "button" | "file" => false,
                    _ => input.value() != input.default_value(),
                }
            } else if let Some(select) = field.dyn_ref::<HtmlSelectElement>() {
                let options = select.options();
                (0..options.length())
                    .filter_map(|index| options.item(index))
                    .filter_map(|option| option.dyn_into::<HtmlOptionElement>().ok())
                    .any(|option| option.selected() != option.default_selected())
            } else {
                false
            }
        })
}

#[cfg(feature = "hydrate")]
fn request_id() -> String {
    let random = (js_sys::Math::random() * 1e15) as u64;
    let now = js_sys::Date::now() as u64;
    format!("c{now:x}{random:x}")
}

#[cfg(feature = "hydrate")]
fn go_to(target: &str) {
    // Only to a path of this site, whatever the answer said.
    let target = crate::domain::local_path::safe_local_path(target).unwrap_or("/");
    let _ = window().location().assign(target);
}

/// The editor's form: posts without JavaScript; hydrated, it saves by itself (above). Its
/// fields are the server-rendered children.
#[island]
pub fn AutosaveForm(
    material_id: String,
    step: String,
    version: i64,
    saved_at: String,
    children: Children,
) -> impl IntoView {
    let form = NodeRef::<leptos::html::Form>::new();
    let autosave = Autosave::new(form, material_id, step, version, saved_at);
    provide_context(autosave);
    view! {
        <form node_ref=form method="post" action="/api/save_material_step" enctype="multipart/form-data"
            class="editor-form"
            on:input=move |_| autosave.changed()
            on:change=move |_| autosave.changed()
            on:focusout=move |_| autosave.save_now()
            on:submit=move |ev| autosave.submit(ev)>
            {children()}
        </form>
    }
}

/// "已保存 10:32" and the like, inside an [`AutosaveForm`].
#[island]
pub fn SaveIndicator(saved_at: String) -> impl IntoView {
    let status = use_context::<Autosave>()
        .map(|autosave| autosave.status)
        .unwrap_or_else(|| RwSignal::new(SaveStatus::Clean(saved_at)));
    view! {
        <span class=move || status.get().class() role="status" aria-live="polite">
            {move || status.get().text()}
        </span>
    }
}

/// What to do about a save that was refused, inside an [`AutosaveForm`]; `here` reloads the
/// step.
#[island]
pub fn SaveProblem(here: String) -> impl IntoView {
    let status = use_context::<Autosave>().map(|autosave| autosave.status);
    move || {
        let (class, message, reload) = match status?.get() {
            SaveStatus::Kept(message) => ("notice warn", message, true),
            SaveStatus::Failed(message) => ("notice error", message, false),
            _ => return None,
        };
        let link = reload.then(|| view! { " " <a href=here.clone()>"刷新页面处理"</a> });
        Some(view! { <div class=class role="alert">{message} {link}</div> })
    }
}
