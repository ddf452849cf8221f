import { expect, Page, test } from "@playwright/test";
import { hydrated, login as loginPage, screenshots } from "./helpers";

/** Logs in and waits until the home page greets the person. */
async function login(page: Page, name: string) {
  await loginPage(page, name);
  await expect(page.getByRole("heading", { name: /，您好/ })).toBeVisible();
}

async function logout(page: Page) {
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
}

const MEASURE = "每季度到联系社区走访不少于2次，建立问题清单。";

test("a member reports an overdue item done and the secretary closes it", async ({ page }, testInfo) => {
  // 张明 sees last year's measures, the overdue one in red.
  await login(page, "zhangming");
  await page.getByRole("link", { name: "我的整改" }).click();
  await hydrated(page);
  const counts = page.getByRole("list", { name: "整改统计" });
  await expect(counts).toContainText("共 2 项");
  await expect(counts).toContainText("逾期 1");
  const row = page.getByRole("row", { name: new RegExp(MEASURE) });
  await expect(row.locator(".badge.red")).toHaveText("逾期");
  await screenshots(page, "ledger-mine", testInfo);

  // Filters work as plain links and forms.
  await page.getByLabel("时限").selectOption("overdue");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/urgency=overdue/);
  await expect(page.getByRole("row")).toHaveCount(2);

  // Progress, then completion with what was done.
  await page.getByRole("link", { name: MEASURE }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { name: MEASURE })).toBeVisible();
  const progress = page.locator("section", { has: page.getByRole("heading", { name: "记录进展" }) });
  await progress.getByLabel("进展情况").fill("第三季度走访社区2次，问题清单已定稿。");
  await progress.getByRole("button", { name: "记录进展" }).click();
  await expect(page.getByRole("region", { name: "整改进展" })).toContainText("问题清单已定稿");
  const done = page.locator("section", { has: page.getByRole("heading", { name: "报告完成，申请销号" }) });
  await done.getByLabel(/完成情况/).fill("全年走访社区8次，问题清单1份，已交支部存档。");
  await done.getByRole("button", { name: "报告完成，申请销号" }).click();
  await expect(page.locator(".badge").first()).toHaveText("待销号");
  await expect(page.getByRole("button", { name: "对账销号" })).toHaveCount(0);
  await logout(page);

  // The secretary checks it against the 完成标准 and closes it.
  await login(page, "shuji1");
  await page.getByRole("link", { name: "支部会次" }).click();
  await page.getByRole("link", { name: "支部整改台账" }).first().click();
  await hydrated(page);
  await expect(page.getByRole("heading", { name: /整改台账/ })).toBeVisible();
  await page.getByRole("link", { name: MEASURE }).click();
  await hydrated(page);
  await expect(page.getByText("走访记录8次，问题清单1份")).toBeVisible();
  await page.getByRole("button", { name: "对账销号" }).click();
  await expect(page.locator(".badge").first()).toHaveText("已销号");
  await expect(page.locator(".facts")).toContainText("李红梅");
  await screenshots(page, "ledger-closed", testInfo);

  // The branch's counts move.
  await page.goBack();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("list", { name: "整改统计" })).toContainText("已销号 1");
  await expect(page.getByRole("list", { name: "整改统计" })).toContainText("完成率 50%");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "导出台账（Excel）" }).click();
  expect((await download).suggestedFilename()).toBe("第一党支部整改台账.xlsx");
});
