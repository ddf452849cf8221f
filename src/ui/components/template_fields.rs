//! The fields of a template form.

use crate::domain::material::PartKind;
use crate::domain::template_form::TemplateForm;
use leptos::prelude::*;

/// Every field of a template form, named `template[…]`: a meeting's template and the
/// organisation's templates are edited with the same fields.
pub fn template_fields(form: TemplateForm) -> impl IntoView {
    let name = |field: &str| format!("template[{field}]");
    view! {
        <label for="template-name">"模板名称"</label>
        <input id="template-name" name=name("name") type="text" required maxlength="60" value=form.name />
        <h2>"材料的组成部分"</h2>
        <p class="hint">"勾选“使用”的部分会出现在材料中，按“顺序”排列；必填部分为空时不能提交。"</p>
        {form.parts.into_iter().enumerate().map(|(index, part)| {
            let field = move |f: &str| format!("template[parts][{index}][{f}]");
            let id = move |f: &str| format!("part-{index}-{f}");
            let kind_label = PartKind::from_code(&part.kind).map(|k| k.label()).unwrap_or("其他");
            view! {
                <fieldset class="template-part">
                    <legend>{kind_label}</legend>
                    <input type="hidden" name=field("kind") value=part.kind.clone() />
                    <label class="inline"><input type="checkbox" name=field("included") value="true" checked=part.included /> "使用"</label>
                    <label class="inline"><input type="checkbox" name=field("required") value="true" checked=part.required /> "必填"</label>
                    <label class="inline" for=id("order")>"顺序"</label>
                    <input id=id("order") class="narrow" name=field("order") type="number" min="0" value=part.order />
                    <label for=id("heading")>"标题"</label>
                    <input id=id("heading") name=field("heading") type="text" maxlength="30" value=part.heading />
                    <label for=id("guidance")>"撰写说明"</label>
                    <textarea id=id("guidance") name=field("guidance") rows="2" maxlength="1000">{part.guidance}</textarea>
                    <label for=id("example")>"示例"</label>
                    <textarea id=id("example") name=field("example") rows="2" maxlength="1000">{part.example}</textarea>
                    <div class="date-grid">
                        <div>
                            <label for=id("min")>"建议最少字数"</label>
                            <input id=id("min") name=field("min_chars") type="number" min="0" value=part.min_chars />
                        </div>
                        <div>
                            <label for=id("max")>"建议最多字数"</label>
                            <input id=id("max") name=field("max_chars") type="number" min="0" value=part.max_chars />
                        </div>
                    </div>
                </fieldset>
            }
        }).collect_view()}
        <h2>"查摆方面与材料体检"</h2>
        <label for="aspects">"查摆方面（每行一个，按材料中应写的标题原文）"</label>
        <textarea id="aspects" name=name("aspects") rows="6">{form.aspects}</textarea>
        <label class="inline"><input type="checkbox" name=name("deadline_required") value="true" checked=form.deadline_required /> "整改措施必须写明时限（不写不能提交）"</label>
        <label class="inline"><input type="checkbox" name=name("rectification_table") value="true" checked=form.rectification_table /> "责任人、完成时限、完成标准列入文末附件“整改清单”表格（不在正文中逐条念出）"</label>
        {form.closure_by_superior.then(|| view! { <input type="hidden" name=name("closure_by_superior") value="true" /> })}
        <label for="min-problem">"每个问题的表现和事例至少（字）"</label>
        <input id="min-problem" name=name("min_problem_chars") type="number" min="0" value=form.min_problem_chars />
        <label for="thought">"算作思想根源的词（每行一个）"</label>
        <textarea id="thought" name=name("thought_dimensions") rows="4">{form.thought_dimensions}</textarea>
        <label for="stock">"套话词（每行一个）"</label>
        <textarea id="stock" name=name("stock_phrases") rows="4">{form.stock_phrases}</textarea>
        <label for="stock-density">"每千字套话超过几次时提示"</label>
        <input id="stock-density" name=name("stock_phrases_per_thousand") type="number" min="0" value=form.stock_phrases_per_thousand />
        <label for="terms">"需要纠正的提法（每行一条：错误提法 → 正确提法）"</label>
        <textarea id="terms" name=name("term_fixes") rows="3">{form.term_fixes}</textarea>
        <h2>"会议议程"</h2>
        <label for="agenda">"会议议程（每行一项，按顺序；以“通报”开头的项目会自动生成通报稿，写入会议记录和报送材料）"</label>
        <textarea id="agenda" name=name("agenda_reports") rows="4">{form.agenda_reports}</textarea>
    }
}
