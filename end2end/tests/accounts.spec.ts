import { expect, hydrated, login, replaceInitialPassword, screenshots, test } from "./helpers";

test("a member logs in, sees their branch, and logs out", async ({ page }, testInfo) => {
  await page.goto("/login");
  await hydrated(page);
  await screenshots(page, "login", testInfo);
  await login(page, "zhangming");
  await expect(page.getByRole("heading", { name: "张明，您好" })).toBeVisible();
  await expect(page.getByText("第一党支部 · 党员")).toBeVisible();
  await expect(page.locator(".site-header")).toContainText("张明");
  await expect(page.locator(".site-header")).not.toContainText("账号");
  await screenshots(page, "home-member", testInfo);

  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=\//);
});

test("a wrong password is refused in Chinese and nothing else is revealed", async ({ page }) => {
  await login(page, "zhangming", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("登录名或密码不正确");
  await expect(page).toHaveURL(/\/login/);
  await login(page, "nobody-here", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("登录名或密码不正确");
});

test("an administrator imports a roster and sees the one-time passwords", async ({ page }, testInfo) => {
  await login(page, "admin");
  await expect(page.getByRole("heading", { name: "王建国，您好" })).toBeVisible();
  await page.getByRole("link", { name: "导入名单" }).first().click();
  await expect(page.getByRole("heading", { name: "从表格导入名单" })).toBeVisible();
  await hydrated(page);

  const bad = "姓名,登录名/手机,职务,支部\n周强,zhouqiang,科员,第九党支部\n";
  await page.getByLabel("名单文件").setInputFiles({ name: "名单.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "检查并导入" }).click();
  await expect(page.getByRole("alert")).toContainText("第 2 行：支部「第九党支部」不存在");

  const good = "姓名,登录名/手机,职务,支部\n周强,zhouqiang,科员,第一党支部\n吴敏,wumin,,第二党支部\n";
  await page.getByLabel("名单文件").setInputFiles({ name: "名单.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
  await page.getByRole("button", { name: "检查并导入" }).click();
  await expect(page.getByText("已导入 2 人。")).toBeVisible();
  const password = (await page.locator("table.issued tr", { hasText: "zhouqiang" }).locator(".secret").textContent())!;
  expect(password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  await screenshots(page, "roster-imported", testInfo);

  await page.getByRole("link", { name: "账号" }).click();
  await expect(page.getByRole("cell", { name: "zhouqiang" })).toBeVisible();
  await screenshots(page, "admin-users", testInfo);

  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
  // The one-time password opens only the page that replaces it.
  await replaceInitialPassword(page, "zhouqiang", password, "zhou-qiang-2026-chun");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "周强，您好" })).toBeVisible();
});

test("an administrator creates an account and resets its password, each shown once in place", async ({ page }) => {
  await login(page, "admin");
  await expect(page.getByRole("heading", { name: "王建国，您好" })).toBeVisible();
  await page.goto("/admin/users");
  await hydrated(page);

  // Refused (no branch chosen): the message appears and every typed field stays.
  await page.getByLabel("姓名").fill("郑洁");
  await page.getByLabel("登录名/手机").fill("zhengjie");
  await page.getByLabel("职务").fill("科员");
  await page.getByRole("button", { name: "创建账号" }).click();
  await expect(page.getByRole("alert")).toHaveText("请选择所在支部");
  await expect(page.getByLabel("姓名")).toHaveValue("郑洁");
  await expect(page.getByLabel("登录名/手机")).toHaveValue("zhengjie");

  await page.getByLabel("所在支部").selectOption({ label: "第一党支部" });
  await page.getByRole("button", { name: "创建账号" }).click();
  const created = page.locator("table.issued tr", { hasText: "zhengjie" }).locator(".secret");
  await expect(created).toHaveText(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  // The form is empty again for the next person, and the address carries no password.
  await expect(page.getByLabel("姓名")).toHaveValue("");
  expect(page.url()).not.toContain((await created.textContent())!);

  // The new account is in the list at once, and the password is still on the page.
  const row = page.locator("table.accounts tr", { has: page.getByRole("cell", { name: "zhengjie", exact: true }) });
  await expect(row).toBeVisible();
  await expect(created).toBeVisible();
  // Resetting asks first; the new password shows over the page, not inside the table.
  await row.getByText("重置密码", { exact: true }).click();
  await expect(row).toContainText("原密码立即失效");
  const widthBefore = (await page.locator("table.accounts").boundingBox())!.width;
  await row.getByRole("button", { name: "确认重置" }).click();
  const reset = page.locator(".issued-popup table.issued .secret");
  await expect(reset).toHaveText(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  const popup = (await page.locator(".issued-popup").boundingBox())!;
  const table = (await page.locator("table.accounts").boundingBox())!;
  expect(table.width).toBeGreaterThanOrEqual(widthBefore - 1);
  expect(popup.width).toBeGreaterThan(200);
  const password = (await reset.textContent())!;
  await page.locator(".issued-popup").getByRole("button", { name: "关闭" }).click();
  await expect(page.locator(".issued-popup")).toHaveCount(0);

  // 停用 asks first too; confirmed, the account is marked and the address stays clean.
  await row.getByText("停用", { exact: true }).click();
  await row.getByRole("button", { name: "确认停用" }).click();
  await expect(row.getByRole("cell", { name: "已停用" })).toBeVisible();
  await hydrated(page);
  expect(page.url()).not.toContain("__done");
  await row.getByRole("button", { name: "启用" }).click();
  await expect(row.getByRole("cell", { name: "正常" })).toBeVisible();

  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
  await replaceInitialPassword(page, "zhengjie", password, "zheng-jie-2026-qiu");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "郑洁，您好" })).toBeVisible();
});

test("unknown pages answer in Chinese with 404", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
});
