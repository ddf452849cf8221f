//! Templates an organisation's administrators publish to all of its branches: start from a
//! built-in one, edit it, publish; withdraw when it is no longer wanted. Meetings already set
//! up from a template keep their own copy.

use super::AppError;
use super::meetings::TemplateChoice;
use crate::domain::template_form::TemplateForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedTemplate {
    pub id: String,
    pub name: String,
    pub published_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgTemplatesView {
    pub published: Vec<PublishedTemplate>,
    pub builtins: Vec<TemplateChoice>,
    /// The built-in template the form starts from.
    pub from: String,
    pub form: TemplateForm,
    /// The yearly policy packs in effect for the organisation, to download and upload.
    pub packs: Vec<super::packs::PackEntry>,
}

#[server(endpoint = "org_templates")]
pub async fn org_templates(from: String) -> Result<OrgTemplatesView, AppError> {
    use super::clock::china_time;
    use super::context::{actor, state};
    use super::packs::backend::{entries, org_effective_packs};
    use crate::domain::pack::{builtin_template, builtin_templates};
    use crate::domain::policy::can_administer_org;
    use crate::domain::template::Template;

    let actor = actor().await?;
    if !can_administer_org(&actor, &actor.org_id) {
        return Err(AppError::NotFound);
    }
    let store = &state()?.store;
    let packs = entries(&org_effective_packs(store, &actor.org_id).await?);
    let published = store
        .org_templates(&actor.org_id)
        .await?
        .into_iter()
        .map(|t| PublishedTemplate {
            id: t.id,
            name: t.template.name,
            published_at: china_time(t.published_at, "%Y-%m-%d %H:%M"),
        })
        .collect();
    let start = builtin_template(&from).unwrap_or_else(Template::branch_meeting_default);
    Ok(OrgTemplatesView {
        published,
        builtins: builtin_templates()
            .into_iter()
            .map(|(key, template)| TemplateChoice {
                key,
                name: template.name,
            })
            .collect(),
        from,
        form: TemplateForm::of(&start),
        packs,
    })
}

#[server(endpoint = "publish_org_template")]
pub async fn publish_org_template(template: TemplateForm) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::policy::can_administer_org;

    let actor = actor().await?;
    let template = template
        .parse()
        .map_err(|errors| AppError::InvalidRows(errors.into_iter().map(|e| e.message).collect()))?;
    if !can_administer_org(&actor, &actor.org_id) {
        return Err(AppError::NotFound);
    }
    state()?
        .store
        .publish_org_template(
            &actor.org_id,
            &template,
            &audit(&actor, "template.publish", None),
        )
        .await?;
    Ok(())
}

#[server(endpoint = "withdraw_org_template")]
pub async fn withdraw_org_template(template_id: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::policy::can_administer_org;

    let actor = actor().await?;
    if !can_administer_org(&actor, &actor.org_id) {
        return Err(AppError::NotFound);
    }
    let withdrawn = state()?
        .store
        .withdraw_org_template(
            &actor.org_id,
            &template_id,
            &audit(&actor, "template.withdraw", Some(template_id.clone())),
        )
        .await?;
    if withdrawn {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
