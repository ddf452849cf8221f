import { Page } from "@playwright/test";
import { expect, hydrated, login, test } from "./helpers";

const PHONE = { width: 390, height: 844 };

/** Nothing on the page is wider than the phone's screen. */
async function noSidewaysScroll(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(PHONE.width);
}

test.use({ viewport: PHONE });

test("on a phone every navigation entry is in sight without scrolling sideways", async ({ page }) => {
  // The administrator has the most entries.
  await login(page, "admin");
  await expect(page.getByRole("heading", { name: "王建国，您好" })).toBeVisible();
  const links = page.getByRole("navigation", { name: "主导航" }).getByRole("link");
  expect(await links.count()).toBeGreaterThan(10);
  for (const link of await links.all()) {
    const box = (await link.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  }
  await noSidewaysScroll(page);
});

test("on a phone the editor's steps show their names and the status pills stay on one line", async ({ page }) => {
  await login(page, "liufang");
  await expect(page.getByRole("heading", { name: "刘芳，您好" })).toBeVisible();
  await page.goto("/materials");
  const start = page.getByRole("button", { name: "开始撰写发言材料" });
  const resume = page.getByRole("link", { name: "继续撰写" });
  await start.or(resume).first().click();
  await expect(page).toHaveURL(/\/materials\/[^/?]+$/);
  await hydrated(page);
  const steps = page.getByRole("navigation", { name: "撰写步骤" }).locator(".step-label");
  expect(await steps.count()).toBeGreaterThan(4);
  for (const label of await steps.all()) {
    await expect(label).toBeVisible();
    expect((await label.textContent())!.trim().length).toBeGreaterThan(1);
  }
  await noSidewaysScroll(page);
  await page.goto("/materials");
  for (const badge of await page.locator(".badge").all()) {
    const box = (await badge.boundingBox())!;
    const lineHeight = await badge.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 20);
    expect(box.height).toBeLessThan(lineHeight * 1.6);
  }
});

test("on a phone the 整改 charts keep their words at a readable size", async ({ page }) => {
  await login(page, "shuji1");
  await expect(page.getByRole("heading", { name: "李红梅，您好" })).toBeVisible();
  // The branch ledger has the demo history's items, so it has charts.
  await page.goto("/meetings");
  await page.getByRole("link", { name: "支部整改台账" }).first().click();
  await hydrated(page);
  const charts = page.getByRole("region", { name: "整改统计图表" });
  await expect(charts.getByRole("img", { name: "按问题类别的完成率" })).toBeVisible();
  const labels = charts.locator(".chart-label, .chart-value");
  expect(await labels.count()).toBeGreaterThan(1);
  for (const label of await labels.all()) {
    const size = await label.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(12);
  }
  // The current tab is the one the branch ledger belongs to.
  await expect(page.getByRole("navigation", { name: "主导航" }).locator("[aria-current=page]")).toHaveText("组织生活会");
  await noSidewaysScroll(page);
});
