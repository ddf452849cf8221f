import { Page } from "@playwright/test";
import { expect, hydrated, login as loginPage, test } from "./helpers";

// Named to run after the journeys that expect 张明 to have one material to write.
// 民主评议党员 for the branch of three (李红梅 the secretary, 张明, 刘芳), in a meeting of its
// own: the 自评 and the secret 互评, the 支委会 评定 (a missing reason refused), the result
// fed back to the member, and a 限期改正 whose measure lands on the member's 我的整改.

const TITLE = "2026年度民主评议党员（全流程）";

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

/** The member's 自评 and 互评 on their evaluation page. */
async function assessAndVote(page: Page, meeting: string, own: string, grades: [string, string][], remark?: [string, string]) {
  await open(page, `/evaluation/${meeting}`);
  const self = page.locator("section", { has: page.getByRole("heading", { name: "个人自评" }) });
  for (const area of await self.locator("textarea").all()) {
    await area.fill(own);
  }
  await self.getByLabel("自评等次").selectOption({ label: "合格" });
  await self.getByRole("button", { name: "保存自评" }).click();
  await expect(page.getByText("自评已保存")).toBeVisible();
  await hydrated(page);
  for (const [name, grade] of grades) {
    await page.getByLabel(`${name}：${grade}`, { exact: true }).check();
  }
  if (remark) {
    await page.getByLabel(`给${remark[0]}的意见建议`).fill(remark[1]);
  }
  await page.getByRole("button", { name: "提交评议票" }).click();
  await expect(page.getByText("您已参加互评测评。")).toBeVisible();
}

test("a branch evaluates its members from 自评 to 反馈 and a 限期改正 reaches the member's 我的整改", async ({ page }) => {
  test.setTimeout(300_000);

  // The secretary sets up a meeting of three and opens the evaluation.
  await login(page, "shuji1");
  await open(page, "/meetings");
  await page.getByText("新建会议").click();
  await page.getByLabel("会议类型").selectOption({ label: "组织生活会" });
  await page.getByLabel("会议名称").fill(TITLE);
  await page.getByLabel("材料截止日期").fill("2026-12-10");
  await page.getByLabel("会议日期").fill("2026-12-15");
  await page.getByLabel("只选以下人员：").check();
  for (const name of ["李红梅", "张明", "刘芳"]) {
    await page.locator(".member-choices label", { hasText: name }).getByRole("checkbox").check();
  }
  await page.getByRole("button", { name: "创建会议" }).click();
  await expect(page).toHaveURL(/\/meetings\/[^/]+\/materials$/);
  const meeting = page.url().split("/").at(-2)!;
  await hydrated(page);
  await page.getByRole("link", { name: "民主评议", exact: true }).click();
  await expect(page.getByRole("heading", { name: "评议安排" })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("本次会议开展民主评议党员").check();
  await page.getByRole("button", { name: "保存评议安排" }).click();
  await expect(page.getByText("已保存", { exact: true })).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "开始互评测评" }).click();
  await expect(page.getByText(/状态：进行中/)).toBeVisible();
  await logout(page);

  await login(page, "zhangming");
  await assessAndVote(page, meeting, "按时参加组织生活，岗位工作能按要求完成，联系群众还不够主动。", [["李红梅", "优秀"], ["刘芳", "合格"]]);
  await logout(page);
  await login(page, "liufang");
  await assessAndVote(page, meeting, "认真学习党的创新理论，服务群众耐心细致，理论联系实际还不够。", [["李红梅", "优秀"], ["张明", "基本合格"]], ["张明", "希望多参加支部活动"]);
  // Nobody else's 自评 is on the member's page.
  await expect(page.locator("body")).not.toContainText("联系群众还不够主动");
  await logout(page);

  // The secretary closes the vote and grades: a 不合格 without a reason is refused.
  await login(page, "shuji1");
  await open(page, `/meetings/${meeting}/evaluation`);
  await expect(page.getByText(/尚未参加：李红梅/)).toBeVisible();
  await page.getByRole("button", { name: "结束互评测评" }).click();
  await expect(page.getByText(/状态：已结束/)).toBeVisible();
  const card = (name: string) => page.locator("article.card", { has: page.getByRole("heading", { name: new RegExp(`^${name}`) }) });
  await hydrated(page);
  await card("张明").getByLabel("支委会评定等次").selectOption({ label: "不合格" });
  await card("张明").getByRole("button", { name: "保存评定" }).click();
  await expect(page.getByRole("alert")).toContainText("评定为“不合格”的，须填写评定理由");
  await card("张明").getByLabel(/评定理由/).fill("长期不参加组织生活，经教育帮助仍无明显改进");
  await card("张明").getByRole("button", { name: "保存评定" }).click();
  await expect(page.getByText("评定已保存")).toBeVisible();
  await expect(card("张明")).toContainText("评定：不合格");
  for (const name of ["李红梅", "刘芳"]) {
    await hydrated(page);
    await card(name).getByLabel("支委会评定等次").selectOption({ label: "合格" });
    await card(name).getByRole("button", { name: "保存评定" }).click();
    await expect(card(name)).toContainText("评定：合格");
  }
  await hydrated(page);
  await page.getByLabel("支委会研究日期").fill("2026-12-20");
  // The default: the result goes to the 党员大会 too.
  await page.getByLabel("党员大会审议日期", { exact: true }).fill("2026-12-21");
  await page.getByRole("button", { name: "确定评议结果并反馈党员" }).click();
  await expect(page.getByText(/评议结果已确定/)).toBeVisible();

  // What follows the 不合格: 限期改正 with its measure.
  await hydrated(page);
  const zhang = card("张明");
  await zhang.getByLabel("处置方式").selectOption({ label: "限期改正" });
  await zhang.getByLabel("支部大会决定日期").fill("2026-12-22");
  await zhang.getByLabel("改正期限（限期改正）").fill("2027-06-30");
  await zhang.getByLabel("第 1 条整改措施").fill("每月按时参加支部组织生活，主动向支部汇报思想和工作情况");
  await zhang.getByLabel("第 1 条完成时限").fill("2027-06-30");
  await zhang.getByRole("button", { name: "保存后续处理" }).click();
  await expect(page.getByText("后续处理已保存")).toBeVisible();
  await logout(page);

  // 张明 reads the result, with 刘芳's remark and nobody's name, and finds the measure on 我的整改.
  await login(page, "zhangming");
  await open(page, `/evaluation/${meeting}`);
  await expect(page.getByText(/您的评议等次为：不合格/)).toBeVisible();
  await expect(page.getByText("评定理由：长期不参加组织生活，经教育帮助仍无明显改进")).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "下载评议结果通知（Word）" }).click();
  expect((await download).suggestedFilename()).toContain("评议结果通知");
  await open(page, "/ledger");
  await expect(page.getByText("每月按时参加支部组织生活，主动向支部汇报思想和工作情况").first()).toBeVisible();
});
