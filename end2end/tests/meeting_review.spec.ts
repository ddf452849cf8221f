import { Page } from "@playwright/test";
import { expect, hydrated, login as loginPage, screenshots, test } from "./helpers";

const TITLE = "主题教育专题组织生活会";

/** Logs in and waits until the home page greets the person. */
async function login(page: Page, name: string) {
  await loginPage(page, name);
  await expect(page.getByRole("heading", { name: /，您好/ })).toBeVisible();
}

const DRAFT = [
  "在主题教育专题组织生活会上的发言材料",
  "一、存在的问题",
  "（一）学习不够深入。学习停留在读原文、记笔记，联系实际思考不够。比如，今年3月只参加了1次集中学习。",
  "二、原因剖析",
  "（一）理想信念有所松懈。对理论学习的重要性认识不足，放松了自我要求。",
  "三、整改措施",
  "（一）加强学习。（针对第一个问题）每月精读原著2篇，撰写学习体会1篇。时限：长期坚持。",
].join("\n");

/** A member opens their material for the new meeting, imports a draft and submits it. */
async function draftAndSubmit(page: Page, member: string) {
  await login(page, member);
  await page.getByRole("link", { name: "我的材料", exact: true }).first().click();
  const card = page.locator("section.card", { has: page.getByRole("heading", { name: TITLE }) });
  await card.getByRole("button", { name: "开始撰写发言材料" }).click();
  await expect(page).toHaveURL(/\/materials\/[^/?]+$/);
  await hydrated(page);
  await page.getByRole("link", { name: "导入已有材料" }).click();
  await hydrated(page);
  await page.getByLabel("粘贴材料文字").fill(DRAFT);
  await expect(page.getByRole("region", { name: "识别结果" })).toContainText("识别出 3 个部分");
  await page.getByRole("button", { name: "导入并替换当前内容" }).click();
  await expect(page.getByRole("heading", { name: "标题与开头" })).toBeVisible();
  await submit(page);
}

async function submit(page: Page) {
  const editor = page.url().replace(/\?.*$/, "");
  await page.goto(`${editor}?step=check`);
  await hydrated(page);
  await page.getByRole("button", { name: "提交给支部书记" }).click();
  await expect(page.locator(".badge")).toHaveText("已提交");
}

async function logout(page: Page) {
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
}

test("a secretary runs a meeting from set-up to an approved 汇编", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  // The secretary sets up a meeting from a built-in template.
  await login(page, "shuji1");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "组织生活会", exact: true }).click();
  await hydrated(page);
  await page.getByText("新建会议").click();
  await page.getByLabel("会议类型").selectOption({ label: "专题组织生活会" });
  await page.getByLabel("会议名称").fill(TITLE);
  await page.getByLabel("会议主题").fill("学思想、强党性、重实践、建新功");
  await page.getByLabel("材料截止日期").fill("2026-12-10");
  await page.getByLabel("会议日期").fill("2026-12-08");
  await page.getByLabel("材料模板").selectOption({ label: "专题组织生活会（主题教育，六个方面）" });
  await page.getByRole("button", { name: "创建会议" }).click();
  await expect(page.getByRole("alert")).toContainText("会议日期不能早于材料截止日期");
  await expect(page.getByLabel("会议名称")).toHaveValue(TITLE);
  await page.getByLabel("会议日期").fill("2026-12-15");
  await page.getByRole("button", { name: "创建会议" }).click();
  await expect(page).toHaveURL(/\/meetings\/[^/]+\/materials$/);
  await expect(page.getByRole("heading", { name: TITLE })).toBeVisible();
  await expect(page.getByText("报送截止")).toBeVisible();
  await expect(page.getByLabel(/未提交名单/)).toHaveValue(/张明/);
  const dashboard = page.url();
  await logout(page);

  // Two members draft and submit.
  await draftAndSubmit(page, "zhangming");
  await logout(page);
  await draftAndSubmit(page, "liufang");
  await logout(page);

  // The secretary returns 张明's material with a comment on the problem.
  await login(page, "shuji1");
  await page.goto(dashboard);
  await hydrated(page);
  await expect(page.getByRole("link", { name: "已提交（2）" })).toBeVisible();
  await expect(page.locator("progress.collection-progress")).toHaveAttribute("value", "2");
  await screenshots(page, "meeting-dashboard", testInfo);
  await page.getByRole("row", { name: /张明/ }).getByRole("link", { name: "审核" }).click();
  await hydrated(page);
  await expect(page.locator(".paper")).toContainText("学习不够深入");
  // Both imported the same draft: the 雷同 check shows it, with the colleague's name.
  await expect(page.getByRole("region", { name: "雷同检查" })).toContainText("与刘芳 的材料相似 100%");
  await page.getByLabel("批注位置").selectOption({ index: 2 });
  await page.getByLabel("批注内容").fill("事例不够具体，请写明学习的时间和次数");
  await page.getByRole("button", { name: "添加批注" }).click();
  await expect(page.locator(".comments")).toContainText("事例不够具体");
  // The page the comment came back to drops its "just done" mark once it has run.
  await hydrated(page);
  await expect(page).not.toHaveURL(/__done=/);
  // No decision is picked for the secretary: the form does not go without one, and what
  // was typed stays.
  const review = page.url();
  const decisionPosts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().includes("/api/decide_material")) decisionPosts.push(request.url());
  });
  await expect(page.getByLabel("退回修改")).not.toBeChecked();
  await expect(page.getByLabel("审核通过")).not.toBeChecked();
  await page.getByLabel(/理由/).fill("请按批注补充具体事例");
  await page.getByRole("button", { name: "提交审核结论" }).click();
  await expect(page.locator("input[name=decision]:invalid")).toHaveCount(2);
  expect(page.url()).toBe(review);
  await expect(page.getByLabel(/理由/)).toHaveValue("请按批注补充具体事例");
  await page.getByLabel("退回修改").check();
  await screenshots(page, "meeting-review", testInfo);
  await page.getByRole("button", { name: "提交审核结论" }).click();
  // The round's page confirms the decision and offers the next material waiting.
  const decided = page.getByRole("region", { name: "下一份待审材料" });
  await expect(decided.getByRole("status")).toHaveText("已提交审核结论：退回修改。");
  expect(decisionPosts, "the form without a decision was never sent").toHaveLength(1);
  await expect(decided.getByRole("link", { name: "刘芳 的材料（第1轮提交）" })).toBeVisible();
  await decided.getByRole("link", { name: "返回会议总览" }).click();
  await expect(page).toHaveURL(dashboard);
  await expect(page.getByRole("row", { name: /张明/ })).toContainText("退回修改");
  await logout(page);

  // 张明 is told on his home page and among the reminders, with the reason; the step list
  // marks the step with the comment, and the comment waits beside the problem. He fixes it
  // and resubmits.
  await login(page, "zhangming");
  const returned = page.getByRole("region", { name: "退回修改的材料" });
  await expect(returned).toContainText(`“${TITLE}”的发言材料（第1轮提交）被退回修改：请按批注补充具体事例`);
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: /^提醒/ }).click();
  const reminder = page.locator(".reminders li", { hasText: "被退回修改：请按批注补充具体事例" });
  await expect(reminder).toHaveClass(/red/);
  await expect(reminder.getByRole("link")).toHaveAttribute("href", /^\/materials\/[^/?]+$/);
  await page.goto("/");
  await page.getByRole("region", { name: "退回修改的材料" }).getByRole("link", { name: "查看批注并修改" }).click();
  await hydrated(page);
  await expect(page.getByRole("region", { name: "审核意见" })).toContainText("请按批注补充具体事例");
  const steps = page.getByRole("navigation", { name: "撰写步骤" });
  const problemsStep = steps.getByRole("link", { name: /存在的问题/ }).or(steps.getByRole("button", { name: /存在的问题/ }));
  await expect(problemsStep).toContainText("批注 1 条");
  await expect(steps.locator("li.commented")).toHaveCount(1);
  await problemsStep.click();
  await hydrated(page);
  await expect(page.getByRole("region", { name: "审核批注" })).toContainText("事例不够具体");
  await expect(page.getByRole("region", { name: "审核批注" })).toContainText("第1轮（本轮）");
  await page.getByLabel("具体事例（时间、事情、数字）").fill("比如，今年3月至6月，集中学习应参加8次，实际只参加了3次。");
  await expect(page.getByRole("status").filter({ hasText: /已保存 \d\d:\d\d/ })).toBeVisible();
  await submit(page);
  await logout(page);

  // The secretary sees what changed, approves both, and downloads the 汇编.
  await login(page, "shuji1");
  await page.goto(dashboard);
  await hydrated(page);
  await page.getByRole("row", { name: /张明/ }).getByRole("link", { name: "审核" }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { name: /第2轮提交/ })).toBeVisible();
  await expect(page.locator(".diff")).toContainText("实际只参加了3次");
  // Round 1's comment is history now, and says so.
  await expect(page.locator(".comment.earlier")).toContainText("第1轮（上一轮）");
  await page.getByLabel("审核通过").check();
  await page.getByRole("button", { name: "提交审核结论" }).click();
  const confirmed = page.getByRole("region", { name: "下一份待审材料" });
  await expect(confirmed.getByRole("status")).toHaveText("已提交审核结论：审核通过。");
  await confirmed.getByRole("link", { name: "刘芳 的材料（第1轮提交）" }).click();
  await hydrated(page);
  // On a phone the text is long: a bar in reach jumps to the decision form.
  await page.setViewportSize({ width: 390, height: 844 });
  const jump = page.getByRole("navigation", { name: "审核操作" });
  await expect(jump).toBeVisible();
  await jump.getByRole("link", { name: "审核结论" }).click();
  await expect(page.getByRole("button", { name: "提交审核结论" })).toBeInViewport();
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(jump).toBeHidden();
  await expect(page.getByRole("heading", { name: "刘芳 的材料 · 第1轮提交" })).toBeVisible();
  await page.getByLabel("审核通过").check();
  await page.getByRole("button", { name: "提交审核结论" }).click();
  const last = page.getByRole("region", { name: "下一份待审材料" });
  await expect(last.getByRole("status")).toHaveText("已提交审核结论：审核通过。");
  await expect(last).toContainText("本次会议暂时没有其他等待您审核的材料。");
  await last.getByRole("link", { name: "返回会议总览" }).click();
  await expect(page).toHaveURL(dashboard);
  await hydrated(page);
  await expect(page.getByRole("link", { name: "审核通过（2）" })).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "下载材料汇编（Word）" }).click();
  expect((await download).suggestedFilename()).toBe(`${TITLE}-材料汇编.docx`);
  await screenshots(page, "meeting-approved", testInfo);
  await logout(page);

  // 张明's approved material: the return is no longer news, and round 1's comment beside
  // the problem is shown as an earlier round's, not as one to act on.
  await login(page, "zhangming");
  await expect(page.getByRole("region", { name: "退回修改的材料" })).toHaveCount(0);
  await page.getByRole("link", { name: "我的材料", exact: true }).first().click();
  await page
    .locator("section.card", { has: page.getByRole("heading", { name: TITLE }) })
    .getByRole("link", { name: "查看材料" })
    .click();
  await hydrated(page);
  await expect(page.getByRole("region", { name: "审核意见" })).toContainText("审核通过");
  const approvedSteps = page.getByRole("navigation", { name: "撰写步骤" });
  await expect(approvedSteps.locator("li.commented")).toHaveCount(0);
  await approvedSteps.getByRole("link", { name: /存在的问题/ }).click();
  await hydrated(page);
  await expect(page.getByRole("region", { name: "审核批注" })).toHaveCount(0);
  const earlier = page.getByRole("region", { name: "前几轮的批注" });
  await expect(earlier).toContainText("前几轮的批注（1 条，已重新提交过）");
  await earlier.getByText(/前几轮的批注/).click();
  await expect(earlier.locator(".comment")).toContainText("第1轮（上一轮）");
  await expect(earlier.locator(".comment")).toContainText("事例不够具体");
});
