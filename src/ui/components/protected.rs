//! Pages for logged-in people only: visitors are sent to the login page (a real 302 when
//! rendered on the server), and pages for administrators answer "not found" to others. A
//! person who must still replace an initial or reset password is sent to the password page.

use crate::app::UserResource;
use crate::domain::policy::Actor;
use crate::server::AppError;
use crate::server::auth::PASSWORD_PAGE;
use crate::ui::components::error_notice::ErrorNotice;
use crate::ui::components::not_found::NotFound;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Who may see a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    AnyoneLoggedIn,
    OrgAdmins,
    /// Secretaries of at least one branch (each page still checks which branch).
    Secretaries,
}

impl Audience {
    fn admits(self, actor: &Actor) -> bool {
        match self {
            Self::AnyoneLoggedIn => true,
            Self::OrgAdmins => actor.is_org_admin,
            Self::Secretaries => actor.is_secretary(),
        }
    }
}

/// Renders `page(actor)` for an admitted actor.
///
/// `page` must not create resources: the `Suspense` below calls it more than once per
/// request (each `dry_resolve` pass), so a resource made inside would load several times,
/// or resolve with the error of a copy whose owner was already dropped. Pages create their
/// resources in the route component and pass them in.
#[component]
pub fn Protected<F, V>(audience: Audience, page: F) -> impl IntoView
where
    F: Fn(Actor) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let user = expect_context::<UserResource>();
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <p class="muted">"加载中…"</p> }>
            {
                let page = page.clone();
                move || {
                    let page = page.clone();
                    Suspend::new(async move {
                        match user.await {
                            // Until an initial or reset password is replaced, every server
                            // function refuses; send the person where they can replace it
                            // instead of showing a page of refusals.
                            Ok(Some(actor))
                                if actor.must_change_password
                                    && location.pathname.get_untracked() != PASSWORD_PAGE =>
                            {
                                view! { <Redirect path=PASSWORD_PAGE /> }.into_any()
                            }
                            Ok(Some(actor)) if audience.admits(&actor) => page(actor).into_any(),
                            Ok(Some(_)) => view! { <NotFound /> }.into_any(),
                            Ok(None) | Err(AppError::Unauthenticated) => {
                                let here = location.pathname.get_untracked();
                                let next = format!(
                                    "/login?next={}",
                                    here.replace('%', "%25").replace('&', "%26").replace('?', "%3F")
                                );
                                view! { <Redirect path=next /> }.into_any()
                            }
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })
                }
            }
        </Suspense>
    }
}
