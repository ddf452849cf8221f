import { expect, hydrated, login, test } from "./helpers";

// The 通知 page in the browser: the administrator connects a group robot and lets branch
// secretaries set up their own; the secretary does so from the meetings page, then changes,
// pauses and deletes it.
test("an administrator and a secretary set up, change and delete notification channels", async ({ page, browser }) => {
  await login(page, "admin");
  await expect(page.getByRole("heading", { name: /您好/ })).toBeVisible();
  await page.getByRole("link", { name: "通知", exact: true }).click();
  await expect(page.getByRole("heading", { name: "通知", exact: true })).toBeVisible();
  await hydrated(page);

  const create = page.locator("section", { has: page.getByRole("heading", { name: "新建通知渠道" }) });
  await create.getByLabel("名称").fill("党委工作群");
  await create.getByLabel("方式").selectOption({ label: "企业微信群机器人" });
  await create.getByLabel("Webhook 地址或收件邮箱").fill("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=JOURNEYKEY0123456789");
  await create.getByLabel("材料被退回修改").uncheck();
  await create.getByRole("button", { name: "保存通知渠道" }).click();
  await expect(page.getByText("已保存通知渠道。")).toBeVisible();
  const row = page.locator("tr", { hasText: "党委工作群" });
  await expect(row).toContainText("全单位");
  // The events cell (the row also holds the channel's 修改 form with every event).
  await expect(row.locator("td").nth(4)).toContainText("整改事项逾期");
  await expect(row.locator("td").nth(4)).not.toContainText("材料被退回修改");
  await expect(page.locator("body")).not.toContainText("JOURNEYKEY0123456789");

  // A wrong address is refused in Chinese and the form keeps what was typed.
  await hydrated(page);
  await create.getByLabel("名称").fill("错误地址");
  await create.getByLabel("Webhook 地址或收件邮箱").fill("qyapi.weixin.qq.com/send");
  await create.getByRole("button", { name: "保存通知渠道" }).click();
  await expect(page.getByRole("alert")).toContainText("Webhook 地址应以 https:// 开头");
  await expect(create.getByLabel("名称")).toHaveValue("错误地址");

  await page.getByLabel("允许支部书记为本支部设置通知渠道（在“组织生活会”页面进入）").check();
  await page.locator("section", { hasText: "支部自设通知" }).getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("已保存支部设置。")).toBeVisible();

  const secretaryContext = await browser.newContext();
  const secretary = await secretaryContext.newPage();
  await login(secretary, "shuji1");
  await expect(secretary.getByRole("heading", { name: /您好/ })).toBeVisible();
  await secretary.goto("/meetings");
  await secretary.getByRole("link", { name: "支部通知渠道" }).click();
  await expect(secretary.getByRole("heading", { name: "第一党支部 · 通知渠道" })).toBeVisible();
  await expect(secretary.locator("body")).not.toContainText("党委工作群");
  await hydrated(secretary);
  const own = secretary.locator("section", { has: secretary.getByRole("heading", { name: "新建通知渠道" }) });
  await own.getByLabel("名称").fill("一支部工作群");
  await own.getByLabel("方式").selectOption({ label: "钉钉群机器人" });
  await own.getByLabel("Webhook 地址或收件邮箱").fill("https://oapi.dingtalk.com/robot/send?access_token=JOURNEYTOKEN0123456789");
  await own.getByLabel("钉钉加签密钥（可不填）").fill("SECjourneysecret0123456789");
  await own.getByRole("button", { name: "保存通知渠道" }).click();
  await expect(secretary.getByText("已保存通知渠道。")).toBeVisible();
  const ownRow = secretary.locator("tr", { hasText: "一支部工作群" });
  await expect(ownRow).toContainText("（已加签）");
  await expect(ownRow).toContainText("第一党支部");

  // Pause it through its 修改 form; the address and secret stay.
  await hydrated(secretary);
  await ownRow.getByText("修改", { exact: true }).click();
  await ownRow.getByLabel("暂停发送").check();
  await ownRow.getByRole("button", { name: "保存通知渠道" }).click();
  await expect(secretary.getByText("已保存通知渠道。")).toBeVisible();
  await expect(secretary.locator("tr", { hasText: "一支部工作群" }).locator("td").nth(6)).toHaveText("停用");
  await expect(secretary.locator("tr", { hasText: "一支部工作群" })).toContainText("（已加签）");

  await hydrated(secretary);
  await secretary.locator("tr", { hasText: "一支部工作群" }).getByRole("button", { name: "删除" }).click();
  await expect(secretary.getByText("已删除通知渠道。")).toBeVisible();
  await expect(secretary.getByText("还没有通知渠道。")).toBeVisible();
  await secretaryContext.close();

  // The administrator's channel is still there.
  await page.reload();
  await expect(page.locator("tr", { hasText: "党委工作群" })).toBeVisible();
});
