import { Page } from "@playwright/test";
import { expect, hydrated, login as loginPage, screenshots, test } from "./helpers";

// A whole meeting cycle for the branch of three (李红梅 the secretary, 张明, 刘芳), in a
// meeting of its own: 征求意见, written criticism, drafting that answers the opinions,
// approval, the meeting record, the secret ballot, the 定稿 and the 报送 package.

const TITLE = "2026年度组织生活会（全流程）";

const DRAFT = [
  "在2026年度组织生活会上的发言材料",
  "一、存在的问题",
  "（一）调查研究不够深入。下基层调研次数偏少，掌握一线情况不全面。比如，今年只到基层调研2次。",
  "二、原因剖析",
  "（一）宗旨意识有所淡化。对群众路线的认识不够深刻，满足于听汇报。",
  "三、整改措施",
  "（一）坚持调查研究。（针对第一个问题）每季度到基层调研不少于2次，形成调研报告。时限：长期坚持。",
].join("\n");

async function login(page: Page, name: string) {
  await loginPage(page, name);
  await expect(page.getByRole("heading", { name: /，您好/ })).toBeVisible();
}

async function logout(page: Page) {
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
}

async function open(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

/** Fills in the anonymous survey from the member page as `me`, who is not asked about themselves. */
async function answerSurvey(page: Page, meeting: string, me: string, general: string, about?: [string, string]) {
  await open(page, `/meetings/${meeting}`);
  await page.getByRole("link", { name: "填写征求意见表（匿名）" }).click();
  await hydrated(page);
  await expect(page.getByLabel(/^对.+同志的意见建议$/)).toHaveCount(2);
  await expect(page.getByLabel(`对${me}同志的意见建议`)).toHaveCount(0);
  await page.getByLabel("对支部（班子）整体的意见建议").fill(general);
  if (about) await page.getByLabel(`对${about[0]}同志的意见建议`).fill(about[1]);
  await page.getByRole("button", { name: "匿名提交" }).click();
  await expect(page.getByText("您已提交，感谢参与")).toBeVisible();
}

/** Starts the member's material in this meeting, imports the draft; returns its address. */
async function draft(page: Page): Promise<string> {
  await open(page, "/materials");
  const card = page.locator("section.card", { has: page.getByRole("heading", { name: TITLE }) });
  await card.getByRole("button", { name: "开始撰写发言材料" }).click();
  await expect(page).toHaveURL(/\/materials\/[^/?]+$/);
  const editor = page.url();
  await hydrated(page);
  await page.getByRole("link", { name: "导入已有材料" }).click();
  await hydrated(page);
  await page.getByLabel("粘贴材料文字").fill(DRAFT);
  await page.getByRole("button", { name: "导入并替换当前内容" }).click();
  await expect(page.getByRole("heading", { name: "标题与开头" })).toBeVisible();
  return editor;
}

async function checkStep(page: Page, editor: string) {
  await open(page, `${editor}?step=check`);
}

async function vote(page: Page, meeting: string, grades: [string, string][]) {
  await open(page, `/meetings/${meeting}`);
  await page.getByRole("link", { name: "参加民主测评（无记名）" }).click();
  await hydrated(page);
  for (const [name, grade] of grades) {
    await page.getByLabel(`${name}：${grade}`, { exact: true }).check();
  }
  await page.getByRole("button", { name: "提交测评票" }).click();
  await expect(page.getByText("您已投票。")).toBeVisible();
}

test("a branch of three goes from 征求意见 to the 报送 package", async ({ page }, testInfo) => {
  test.setTimeout(420_000);

  // The secretary sets up the meeting and its arrangements, and opens the survey.
  await login(page, "shuji1");
  await open(page, "/meetings");
  await page.getByText("新建会议").click();
  await page.getByLabel("会议类型").selectOption({ label: "组织生活会" });
  await page.getByLabel("会议名称").fill(TITLE);
  await page.getByLabel("材料截止日期").fill("2026-12-10");
  await page.getByLabel("会议日期").fill("2026-12-15");
  // The branch of three, whoever else other tests added to the branch.
  await page.getByLabel("只选以下人员：").check();
  for (const name of ["李红梅", "张明", "刘芳"]) {
    await page.locator(".member-choices label", { hasText: name }).getByRole("checkbox").check();
  }
  await page.getByRole("button", { name: "创建会议" }).click();
  await expect(page).toHaveURL(/\/meetings\/[^/]+\/materials$/);
  const dashboard = page.url();
  const meeting = dashboard.split("/").at(-2)!;
  await hydrated(page);
  await page.getByRole("link", { name: "征求意见", exact: true }).click();
  await hydrated(page);
  await page.getByLabel("会上开展民主测评（组织生活会）").check();
  await page.getByRole("button", { name: "保存会议安排" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已保存" })).toBeVisible();
  await page.getByRole("button", { name: "开始征求意见" }).click();
  await expect(page.getByText(/状态：进行中/)).toBeVisible();
  await answerSurvey(page, meeting, "李红梅", "希望支部多组织集中学习", ["张明", "张明同志下基层调研偏少"]);
  await logout(page);

  // Two members answer; 张明 also writes a named criticism to 刘芳.
  await login(page, "zhangming");
  await answerSurvey(page, meeting, "张明", "支部活动形式可以更丰富", ["刘芳", "刘芳同志可以多分享工作经验"]);
  await open(page, `/meetings/${meeting}`);
  await page.getByLabel("批评对象").selectOption({ label: "刘芳" });
  await page.getByLabel("批评意见", { exact: true }).fill("刘芳同志有时对新同志指导不够耐心");
  await page.getByRole("button", { name: "提交批评意见" }).click();
  await expect(page.getByText("待反馈")).toBeVisible();
  await logout(page);
  await login(page, "liufang");
  await answerSurvey(page, meeting, "刘芳", "会议通知可以再早一些");
  await logout(page);

  // The secretary closes the survey, reads the answers (no names), curates them for each
  // person and passes everything on.
  await login(page, "shuji1");
  await open(page, `/meetings/${meeting}/opinions`);
  // How many answered shows only once the survey closes: a moving count is a clock.
  await expect(page.getByText("状态：进行中（填写人数在结束后显示）")).toBeVisible();
  await page.getByRole("button", { name: "结束征求意见" }).click();
  await expect(page.getByText("状态：已结束 · 共 3 人填写")).toBeVisible();
  // The secretary answered too: two others are too few to show their answers to her.
  await expect(page.getByText(/填写人数不足 3 人（不计您本人/)).toBeVisible();
  await expect(page.getByRole("cell", { name: "张明同志下基层调研偏少" })).toHaveCount(0);
  await screenshots(page, "cycle-opinions", testInfo);
  const zhangBox = page.locator("details", { hasText: "张明（" });
  await zhangBox.getByLabel("给张明的征求意见（归纳整理后填写）").fill("群众反映：下基层调研偏少，了解一线情况不够");
  await zhangBox.getByRole("button", { name: "添加" }).click();
  await expect(zhangBox.getByText("群众反映：下基层调研偏少")).toBeVisible();
  await page.getByRole("button", { name: "反馈给张明本人" }).click();
  await expect(page.getByRole("button", { name: "反馈给张明本人" })).toHaveCount(0);
  await page.getByRole("button", { name: "反馈给刘芳本人" }).click();
  await expect(page.getByRole("button", { name: "反馈给刘芳本人" })).toHaveCount(0);
  await logout(page);

  // 张明 drafts: the opinion shows beside the problems, the check flags it until a problem
  // answers it.
  await login(page, "zhangming");
  const zhangEditor = await draft(page);
  await checkStep(page, zhangEditor);
  await expect(page.getByText(/征求意见“群众反映：下基层调研偏少/)).toBeVisible();
  await expect(page.getByRole("button", { name: "提交给支部书记" })).toBeDisabled();
  const steps = page.getByRole("navigation", { name: "撰写步骤" });
  await steps.getByRole("link", { name: /存在的问题/ }).click();
  await hydrated(page);
  await expect(page.getByRole("region", { name: "收到的意见" })).toContainText("下基层调研偏少");
  await page.getByLabel("问题来源").selectOption({ label: "征求意见" });
  await page.getByLabel(/征求意见：群众反映/).check();
  await expect(page.getByRole("status").filter({ hasText: /已保存 \d\d:\d\d/ })).toBeVisible();
  await checkStep(page, zhangEditor);
  await page.getByRole("button", { name: "提交给支部书记" }).click();
  await expect(page.locator(".badge")).toHaveText("已提交");
  await logout(page);

  // 刘芳 declines the criticism with a reason (and answers it), then drafts and submits.
  await login(page, "liufang");
  await open(page, `/meetings/${meeting}`);
  const opinion = page.locator("article.opinion", { hasText: "指导不够耐心" });
  await expect(opinion).toContainText("（张明）");
  await opinion.getByLabel("我的回应（选填）").fill("感谢张明同志，今后注意方式方法");
  await opinion.getByLabel(/不采纳的理由/).fill("已在工作作风方面一并查摆");
  await opinion.getByRole("button", { name: "保存回应" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已保存" })).toBeVisible();
  const liuEditor = await draft(page);
  await checkStep(page, liuEditor);
  await page.getByRole("button", { name: "提交给支部书记" }).click();
  await expect(page.locator(".badge")).toHaveText("已提交");
  await logout(page);

  // The secretary approves both, then records the meeting and runs the ballot.
  await login(page, "shuji1");
  for (const name of ["张明", "刘芳"]) {
    await open(page, dashboard);
    await page.getByRole("row", { name: new RegExp(name) }).getByRole("link", { name: "审核" }).click();
    await hydrated(page);
    await page.getByLabel("审核通过").check();
    await page.getByRole("button", { name: "提交审核结论" }).click();
    await expect(page.getByRole("region", { name: "下一份待审材料" }).getByRole("status")).toHaveText(
      "已提交审核结论：审核通过。",
    );
  }
  await open(page, `/meetings/${meeting}/minutes`);
  await expect(page.getByText("应到3人，实到3人")).toBeVisible();
  // The agenda's 通报, written out for the secretary to read at the meeting.
  const agendaDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "下载会议通报材料（.docx）" }).click();
  expect((await agendaDownload).suggestedFilename()).toBe(`${TITLE}-会议通报材料.docx`);
  await page.getByLabel("会议议程、通报事项、上级点评、书记总结（每段一行）").fill("书记通报上年度整改落实情况和征求意见情况");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "已保存" })).toBeVisible();
  const zhangLine = page.locator("fieldset.item", { hasText: "张明 ·" });
  await zhangLine.getByLabel("已发言").check();
  await zhangLine.getByLabel(/其他同志提出的批评意见/).fill("刘芳：调研要带着问题去\n李红梅：调研成果转化不够");
  await zhangLine.getByLabel("本人表态").fill("诚恳接受，逐条整改");
  await zhangLine.getByRole("button", { name: "保存张明的记录" }).click();
  await expect(page.locator("fieldset.item", { hasText: "张明 · 已发言" })).toBeVisible();
  const liuLine = page.locator("fieldset.item", { hasText: "刘芳 ·" });
  await liuLine.getByLabel("已发言").check();
  await liuLine.getByRole("button", { name: "保存刘芳的记录" }).click();
  await expect(page.locator("fieldset.item", { hasText: "刘芳 · 已发言" })).toBeVisible();
  await page.getByRole("button", { name: "开始民主测评" }).click();
  await expect(page.getByText("状态：进行中（投票人数在结束后显示）")).toBeVisible();
  await vote(page, meeting, [["李红梅", "优秀"], ["张明", "合格"], ["刘芳", "优秀"]]);
  await logout(page);
  for (const member of ["zhangming", "liufang"]) {
    await login(page, member);
    await vote(page, meeting, [["李红梅", "优秀"], ["张明", "合格"], ["刘芳", "合格"]]);
    await logout(page);
  }
  await login(page, "shuji1");
  await open(page, `/meetings/${meeting}/minutes`);
  await page.getByRole("button", { name: "结束民主测评" }).click();
  // Three ballots, one of them hers: too few besides her own to show the tallies.
  await expect(page.getByText(/投票人数不足 3 人（不计您本人；共 3 人投票）/)).toBeVisible();
  await expect(page.locator("table.tallies")).toHaveCount(0);
  await screenshots(page, "cycle-minutes", testInfo);
  await logout(page);

  // 张明 revises after the meeting and hands in the 定稿; 刘芳 hands hers in unchanged.
  await login(page, "zhangming");
  await open(page, `${zhangEditor}?step=closing`);
  await page.getByLabel("结束语").fill("以上发言，请同志们继续批评帮助。");
  await expect(page.getByRole("status").filter({ hasText: /已保存 \d\d:\d\d/ })).toBeVisible();
  await checkStep(page, zhangEditor);
  await expect(page.locator(".diff")).toContainText("继续批评帮助");
  await page.getByRole("button", { name: "提交定稿" }).click();
  await expect(page.getByText("材料已定稿。")).toBeVisible();
  await logout(page);
  await login(page, "liufang");
  await checkStep(page, liuEditor);
  await page.getByRole("button", { name: "提交定稿" }).click();
  await expect(page.getByText("材料已定稿。")).toBeVisible();
  await logout(page);

  // The secretary downloads the package for the 上级 and marks it sent.
  await login(page, "shuji1");
  await open(page, `/meetings/${meeting}/report`);
  await expect(page.getByText("定稿 2 / 3 人")).toBeVisible();
  await expect(page.getByText(/报送截止：2026年12月30日/)).toBeVisible();
  await expect(page.locator(".paper")).toContainText("会上提出批评意见2条");
  await expect(page.locator(".paper")).toContainText("【尚未在支部内公布】");
  // The 整改清单 is published from the branch's 台账, then the report says so.
  await page.getByRole("link", { name: "到整改台账公布" }).click();
  await hydrated(page);
  const list = page.getByRole("region", { name: "公布整改清单" }).locator("li", { hasText: TITLE });
  await list.getByRole("button", { name: "公布整改清单" }).click();
  await expect(list).toContainText(/已于 .* 公布/);
  await open(page, `/meetings/${meeting}/report`);
  await expect(page.locator(".paper")).toContainText("已形成整改清单并在支部内公布");
  await expect(page.getByRole("link", { name: "到整改台账公布" })).toHaveCount(0);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "下载报送材料包（zip）" }).click();
  expect((await download).suggestedFilename()).toBe(`${TITLE}-报送材料.zip`);
  await screenshots(page, "cycle-report", testInfo);
  await page.getByRole("button", { name: "已报送上级，标记完成" }).click();
  await expect(page.getByText(/已于 .* 报送/)).toBeVisible();
});
