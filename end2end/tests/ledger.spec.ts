import { Page } from "@playwright/test";
import { expect, hydrated, login as loginPage, screenshots, test } from "./helpers";

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
  await page.getByLabel("时限", { exact: true }).selectOption("overdue");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/urgency=overdue/);
  await expect(page.locator("table.ledger").first().getByRole("row")).toHaveCount(2);

  // Progress, then completion with what was done.
  await page.getByRole("link", { name: MEASURE }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { name: MEASURE })).toBeVisible();
  const progress = page.locator("section", { has: page.getByRole("heading", { name: "记录进展" }) });
  await progress.getByLabel("进展情况").fill("第三季度走访社区2次，问题清单已定稿。");
  await progress.getByRole("button", { name: "记录进展" }).click();
  await expect(page.getByRole("region", { name: "整改进展" })).toContainText("问题清单已定稿");

  // Evidence: a file that is not what its name says is refused, a real PDF is kept.
  const evidence = page.getByRole("region", { name: "佐证材料" });
  await evidence.getByLabel("文件").setInputFiles({
    name: "走访照片.jpg",
    mimeType: "image/jpeg",
    buffer: Buffer.from("%PDF-1.4 not a picture"),
  });
  await evidence.getByRole("button", { name: "上传佐证材料" }).click();
  await expect(evidence.getByRole("alert")).toContainText("内容与扩展名不符");
  await evidence.getByLabel("说明（可不填）").fill("第三季度走访记录");
  await evidence.getByLabel("文件").setInputFiles({
    name: "走访记录.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n% 走访记录\n"),
  });
  await evidence.getByRole("button", { name: "上传佐证材料" }).click();
  await expect(evidence.getByRole("link", { name: "走访记录.pdf" })).toBeVisible();
  await expect(page.getByRole("region", { name: "整改进展" })).toContainText("第三季度走访记录");
  const done = page.locator("section", { has: page.getByRole("heading", { name: "报告完成，申请销号" }) });
  await done.getByLabel(/完成情况/).fill("全年走访社区8次，问题清单1份，已交支部存档。");
  await done.getByRole("button", { name: "报告完成，申请销号" }).click();
  await expect(page.locator(".badge").first()).toHaveText("待销号");
  await expect(page.getByRole("button", { name: "对账销号" })).toHaveCount(0);
  await logout(page);

  // The secretary checks it against the 完成标准 and closes it.
  await login(page, "shuji1");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "组织生活会", exact: true }).click();
  await page.getByRole("link", { name: "支部整改台账" }).first().click();
  await hydrated(page);
  await expect(page.getByRole("heading", { name: /整改台账/ })).toBeVisible();
  const branchLedger = page.url();
  await page.getByRole("link", { name: MEASURE }).click();
  await hydrated(page);
  await expect(page.getByText("走访记录8次，问题清单1份")).toBeVisible();
  const file = page.waitForEvent("download");
  await page.getByRole("region", { name: "佐证材料" }).getByRole("link", { name: "走访记录.pdf" }).click();
  expect((await file).suggestedFilename()).toBe("走访记录.pdf");
  await page.getByRole("button", { name: "对账销号" }).click();
  await expect(page.locator(".badge").first()).toHaveText("已销号");
  await expect(page.locator(".facts")).toContainText("李红梅");
  await screenshots(page, "ledger-closed", testInfo);

  // The branch's counts move. (Opened afresh rather than by going back: a page where the
  // 销号 was a plain form post has one more history entry.)
  await page.goto(branchLedger);
  await hydrated(page);
  await expect(page.getByRole("list", { name: "整改统计" })).toContainText("已销号 1");
  await expect(page.getByRole("list", { name: "整改统计" })).toContainText("完成率 50%");
  // The charts and their tables say the same.
  const charts = page.getByRole("region", { name: "整改统计图表" });
  await expect(charts.getByRole("img", { name: "按问题类别的完成率" })).toBeVisible();
  await expect(charts.getByRole("row", { name: /联系服务群众方面/ })).toContainText("50%");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "导出台账（Excel）" }).click();
  expect((await download).suggestedFilename()).toBe("第一党支部整改台账.xlsx");
  await logout(page);

  // This year's material starts from how last year's measures stand.
  await login(page, "zhangming");
  await page.getByRole("link", { name: "我的材料", exact: true }).first().click();
  await page.getByRole("button", { name: "开始撰写发言材料" }).click();
  await expect(page).toHaveURL(/\/materials\/[^/?]+$/);
  await hydrated(page);
  const steps = page.getByRole("navigation", { name: "撰写步骤" });
  const step = /上次整改措施落实情况/;
  const before = page.url();
  await steps.getByRole("link", { name: step }).or(steps.getByRole("button", { name: step })).click();
  await page.waitForURL((url) => url.toString() !== before);
  await hydrated(page);
  await expect(page.locator(".step-body textarea").first()).toHaveValue(/已完成整改销号1项/);
  await expect(page.locator(".step-body textarea").first()).toHaveValue(new RegExp("每季度到联系社区走访不少于2次，建立问题清单：已完成整改"));
});
