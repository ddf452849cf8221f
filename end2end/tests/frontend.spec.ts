import { Page } from "@playwright/test";
import { expect, hydrated, login, test } from "./helpers";

// The front end as shipped: `cargo xtask test` serves the release build (XINGSHEN_BUILD says
// which), whose wasm went through wasm-opt. A wasm that does not start must fail here, and a
// page whose script died must say so and keep the plain save path.

const RELEASE = process.env.XINGSHEN_BUILD === "release";
const TITLE = "材料标题";

/** Logs shuji2 in and opens their draft (never handed in by any journey); returns its address. */
async function openDraft(page: Page) {
  await login(page, "shuji2");
  await page.getByRole("link", { name: "我的材料", exact: true }).first().click();
  const start = page.getByRole("button", { name: "开始撰写发言材料" });
  const resume = page.getByRole("link", { name: "继续撰写" });
  await start.or(resume).click();
  await expect(page).toHaveURL(/\/materials\/[^/?]+$/);
  return page.url();
}

test("the shipped wasm starts, hydrates the editor and saves a keystroke", async ({ page }) => {
  const url = await openDraft(page);
  const wasm = page.waitForResponse((response) => response.url().endsWith(".wasm"));
  await page.goto(url);
  const body = await (await wasm).body();
  if (RELEASE) {
    // The optimised build: a debug wasm is many megabytes.
    expect(body.length).toBeLessThan(1_500_000);
  }
  await hydrated(page);
  await expect(page.locator("html")).toHaveAttribute("data-script", "ready");
  await expect(page.getByText("自动保存未启用")).toBeHidden();
  await expect(page.getByText("页面脚本出错")).toBeHidden();

  await page.getByLabel(TITLE).fill("发布版前端自动保存的标题");
  await expect(page.getByRole("status").filter({ hasText: /已保存 \d\d:\d\d/ })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(TITLE)).toHaveValue("发布版前端自动保存的标题");
});

test("a front end that fails to start says so, claims no save, and the save button still saves", async ({
  page,
  pageProblems,
}) => {
  const url = await openDraft(page);
  // A wasm the browser refuses, as Debian's binaryen 108 produced.
  await page.route("**/*.wasm", (route) =>
    route.fulfill({ status: 200, contentType: "application/wasm", body: Buffer.from("not a wasm module") }),
  );
  await page.goto(url);
  await expect(page.getByRole("alert").filter({ hasText: "页面脚本出错" })).toBeVisible();
  await expect(page.getByText("自动保存未启用：请点“保存”")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /保存/ })).toBeHidden();
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(0);

  await page.getByLabel(TITLE).fill("脚本失效时用保存按钮保存的标题");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await page.unroute("**/*.wasm");
  await page.goto(url);
  await hydrated(page);
  await expect(page.getByLabel(TITLE)).toHaveValue("脚本失效时用保存按钮保存的标题");

  // The dead start was seen as an error, as it must be; nothing else was.
  expect(pageProblems.length).toBeGreaterThan(0);
  expect(pageProblems.join("\n")).toMatch(/WebAssembly|wasm/i);
  pageProblems.length = 0;
});

test("a front end still loading after a while says the save button works, then steps aside", async ({ page }) => {
  const url = await openDraft(page);
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(url);
  await expect(page.getByText("自动保存未启用：请点“保存”")).toBeHidden();
  await expect(page.getByText("页面脚本尚未启动")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText("自动保存未启用：请点“保存”")).toBeVisible();
  release();
  await hydrated(page);
  await expect(page.getByText("页面脚本尚未启动")).toBeHidden();
  await expect(page.getByText("自动保存未启用：请点“保存”")).toBeHidden();
});
