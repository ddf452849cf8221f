import { Locator, Page } from "@playwright/test";
import { expect, hydrated, login, screenshots, test } from "./helpers";

/** Waits for the save indicator to report a completed save. */
async function saved(page: Page) {
  await expect(page.getByRole("status").filter({ hasText: /已保存 \d\d:\d\d/ })).toBeVisible();
}

/** Clicks something that saves and loads another page, and waits for that page. */
async function clickAndLoad(page: Page, target: Locator) {
  const before = page.url();
  await target.click();
  await page.waitForURL((url) => url.toString() !== before);
  await hydrated(page);
}

async function goToStep(page: Page, name: string | RegExp) {
  const steps = page.getByRole("navigation", { name: "撰写步骤" });
  await clickAndLoad(page, steps.getByRole("link", { name }).or(steps.getByRole("button", { name })));
}

async function addItem(page: Page, name: string) {
  await clickAndLoad(page, page.getByRole("button", { name }));
}

test("a member drafts a material from nothing to submitted, through a conflict and a restore", async ({
  browser,
}, testInfo) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "zhangming");
  await expect(page.getByRole("heading", { name: "张明，您好" })).toBeVisible();

  await page.getByRole("link", { name: "我的材料", exact: true }).first().click();
  // ledger.spec.ts (run before this file) may have opened it already to see its carry-over.
  await page
    .getByRole("button", { name: "开始撰写发言材料" })
    .or(page.getByRole("link", { name: "继续撰写" }))
    .click();
  await expect(page).toHaveURL(/\/materials\/[^/?]+$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "标题与开头" })).toBeVisible();
  const editorUrl = page.url();

  // Autosave: type, pause, see the indicator go through 保存中 to 已保存 HH:MM.
  await page.getByLabel("开头语（选填，每段一行）").fill("根据支部统一安排，我认真学习了有关文件，现将个人情况报告如下：");
  await expect(page.locator(".count").first()).toContainText("31 字");
  await saved(page);
  await screenshots(page, "editor-opening", testInfo);

  // Last year's measures (demo history) open this year's 上次整改落实情况, ready to edit.
  await goToStep(page, /上次整改措施落实情况/);
  await expect(page.locator(".step-body textarea").first()).toHaveValue(/上次提出的2项整改措施中/);

  // 问题查摆: add a problem, fill it, let it save.
  await goToStep(page, /^\d+\s*存在的问题/);
  await expect(page.locator(".guidance")).toContainText("见人见事见思想");
  await addItem(page, "＋ 添加问题");
  await page.getByLabel("查摆方面").selectOption("理论学习方面");
  await page.getByLabel("问题概括（一句话）").fill("学用结合不够紧密");
  await page.getByLabel("具体表现").fill("学习停留在读原文、记笔记，联系岗位实际思考不够，用理论指导工作的自觉性不强。");
  await page
    .getByLabel("具体事例（时间、事情、数字）")
    .fill("比如，今年3月起草调研报告时，引用文件原文较多，结合本单位实际提出的对策只有2条，针对性不强。");
  await saved(page);
  await screenshots(page, "editor-problems", testInfo);

  // 原因剖析, linked to the problem.
  await goToStep(page, /^\d+\s*问题产生的原因/);
  await addItem(page, "＋ 添加原因");
  await page.getByLabel("剖析方面（如 理想信念、党性修养）").fill("理论武装不够深入");
  await page.getByLabel("剖析", { exact: true }).fill("对加强理论学习的重要性认识不足，满足于完成规定动作。");
  await page.getByRole("checkbox", { name: /学用结合不够紧密/ }).check();
  await saved(page);

  // 整改措施 with a 时限.
  await goToStep(page, /^\d+\s*整改措施/);
  await addItem(page, "＋ 添加措施");
  await page.getByLabel("具体措施（做什么、做多少）").fill("每月精读原著不少于2篇，结合岗位撰写学习体会。");
  await page.getByRole("checkbox", { name: /学用结合不够紧密/ }).check();
  await page.getByLabel("时限").fill("2026-06-30");
  await page.getByLabel("完成标准").fill("形成学习体会6篇");
  await saved(page);
  await screenshots(page, "editor-measures", testInfo);

  // Two pages on the same step: the second saves first, the first is refused and kept.
  const other = await context.newPage();
  await other.goto(page.url());
  await hydrated(other);
  await other.getByLabel("完成标准").fill("形成学习体会8篇");
  await saved(other);
  await page.getByLabel("完成标准").fill("形成学习体会10篇，并在支部交流");
  await expect(page.getByRole("alert")).toContainText("已完整另存");
  await page.getByRole("link", { name: "刷新页面处理" }).click();
  await hydrated(page);
  const kept = page.getByRole("region", { name: "未保存的修改" });
  await expect(kept).toContainText("形成学习体会10篇，并在支部交流");
  await expect(kept).toContainText("形成学习体会8篇");
  await screenshots(page, "editor-conflict", testInfo);
  await kept.getByRole("button", { name: "采用这份修改" }).click();
  await expect(kept).toHaveCount(0);
  await expect(page.getByLabel("完成标准")).toHaveValue("形成学习体会10篇，并在支部交流");
  await other.close();

  // Revision history: this sitting's autosaves are one stretch of work, shown with its
  // span and count; its saves open one by one. Restore the version before the adoption.
  await page.goto(editorUrl.replace(/$/, "/history"));
  await hydrated(page);
  const stretches = page.locator("ol.revisions > li");
  const count = await stretches.count();
  const sitting = stretches.first();
  await expect(sitting).toContainText(/次保存/);
  await sitting.getByRole("link", { name: /次保存/ }).click();
  await expect(page.locator(".diff")).toBeVisible();
  await expect(page.locator("#diff h2")).toContainText(/版本 \d+–\d+/);
  await page.locator("ol.revisions > li").first().locator("summary").click();
  const saves = page.locator("ol.revisions > li").first().locator("ol.saves a");
  expect(await saves.count()).toBeGreaterThan(5);
  await saves.nth(1).click();
  await expect(page.locator("#diff h2")).not.toContainText("–");
  await screenshots(page, "editor-history", testInfo);
  await page.getByRole("button", { name: /恢复到版本/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "已恢复" })).toBeVisible();
  await expect(page.locator("ol.revisions > li")).toHaveCount(count + 1);
  await expect(page.locator("ol.revisions > li").first()).toContainText("恢复自版本");

  // Check and submit.
  await page.goto(`${editorUrl}?step=check`);
  await hydrated(page);
  await expect(page.locator(".findings .finding.error")).toHaveCount(0);
  await screenshots(page, "editor-check", testInfo);
  await page.getByRole("button", { name: "提交给支部书记" }).click();
  await expect(page.getByText("材料已提交，等待支部书记审核。")).toBeVisible();
  await expect(page.locator(".badge")).toHaveText("已提交");
  await expect(page.getByText(/第 1 次提交/)).toBeVisible();

  // The preview shows the whole material, numbered.
  await page.getByRole("link", { name: "预览全文" }).click();
  await expect(page.locator(".paper h2").first()).toHaveText(/^一、/);
  await expect(page.locator(".paper")).toContainText("（一）理论学习方面：学用结合不够紧密。");
  await screenshots(page, "preview", testInfo);
  await context.close();
});

test("an empty required part blocks submission with a message that jumps to it", async ({ page }) => {
  await login(page, "liufang");
  await page.getByRole("link", { name: "我的材料", exact: true }).first().click();
  await page.getByRole("button", { name: "开始撰写发言材料" }).click();
  // The list page is hydrated already: wait for the editor's address first.
  await expect(page).toHaveURL(/\/materials\/[^/?]+$/);
  await hydrated(page);
  await page.goto(`${page.url()}?step=check`);
  await hydrated(page);
  await expect(page.getByRole("button", { name: "提交给支部书记" })).toBeDisabled();
  await page.getByRole("link", { name: "“存在的问题”是必填部分，还没有内容" }).click();
  await expect(page.getByRole("heading", { name: "存在的问题" })).toBeVisible();
});

test("a server error while saving is retried with the same text until it is saved", async ({ page }) => {
  // 刘芳's draft from the test above. The first two saves meet a failing server (what a
  // database fault looks like to the page); the editor keeps the text and tries again.
  await login(page, "liufang");
  await page.getByRole("link", { name: "我的材料", exact: true }).first().click();
  await page.getByRole("link", { name: "继续撰写" }).click();
  await expect(page).toHaveURL(/\/materials\/[^/?]+$/);
  await hydrated(page);
  const url = page.url();
  let refused = 0;
  const bodies: string[] = [];
  await page.route("**/api/save_material_step", async (route) => {
    bodies.push(route.request().postData() ?? "");
    if (refused < 2) {
      refused += 1;
      await route.fulfill({ status: 500, contentType: "application/json", body: '"Internal"' });
    } else {
      await route.continue();
    }
  });
  await page.getByLabel("材料标题").fill("服务器出错后重试保存的标题");
  await expect(page.getByText("服务器暂时出错，稍后自动重试；内容仍在页面上")).toBeVisible();
  await expect(page.getByText(/^已保存 /)).toBeVisible({ timeout: 20_000 });
  expect(refused).toBe(2);
  // Every attempt carried the same text under the same request id.
  const requestId = (body: string) => body.match(/name="request_id"\r\n\r\n([^\r]*)/)?.[1];
  expect(bodies.length).toBe(3);
  expect(new Set(bodies.map(requestId)).size).toBe(1);
  expect(bodies.every((body) => body.includes("服务器出错后重试保存的标题"))).toBe(true);
  await page.unroute("**/api/save_material_step");
  await page.goto(url);
  await expect(page.getByLabel("材料标题")).toHaveValue("服务器出错后重试保存的标题");
});

test("closing the tab right after typing, killing it after a pause, or typing before it is interactive loses nothing", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "shuji2");
  await page.getByRole("link", { name: "我的材料", exact: true }).first().click();
  // frontend.spec.ts (run before this file) may have started it already.
  await page
    .getByRole("button", { name: "开始撰写发言材料" })
    .or(page.getByRole("link", { name: "继续撰写" }))
    .click();
  await expect(page).toHaveURL(/\/materials\/[^/?]+$/);
  await hydrated(page);
  const url = page.url();

  // Closed mid-sentence, before the autosave pause: the page sends what it has as it goes.
  await page.getByLabel("开头语（选填，每段一行）").fill("关闭标签页之前刚刚写下的这一句");
  await page.close({ runBeforeUnload: true });

  const second = await context.newPage();
  await second.goto(url);
  await hydrated(second);
  await expect(second.getByLabel("开头语（选填，每段一行）")).toHaveValue("关闭标签页之前刚刚写下的这一句");

  // Killed without any chance to say goodbye: what was typed ~2 s before is on the server.
  await second.getByLabel("材料标题").fill("停顿两秒后被强行关闭的标题");
  await second.waitForTimeout(2_500);
  await second.close({ runBeforeUnload: false });

  const third = await context.newPage();
  await third.goto(url);
  await expect(third.getByLabel("材料标题")).toHaveValue("停顿两秒后被强行关闭的标题");
  // Opening it untouched saves nothing.
  await hydrated(third);
  await third.waitForTimeout(2_500);
  await expect(third.getByRole("status").filter({ hasText: "上次保存" })).toBeVisible();
  await third.close();

  // Typed while the page was not interactive yet (its script still loading, as on a slow
  // line): seen and saved as soon as it is, without another keystroke.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const fourth = await context.newPage();
  await fourth.route("**/*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await fourth.goto(url);
  await fourth.getByLabel("材料标题").fill("页面还没准备好时写下的标题");
  release();
  await hydrated(fourth);
  await expect(fourth.getByRole("status").filter({ hasText: "已保存" })).toBeVisible();
  await fourth.close();

  const fifth = await context.newPage();
  await fifth.goto(url);
  await expect(fifth.getByLabel("材料标题")).toHaveValue("页面还没准备好时写下的标题");
  await context.close();
});
