import { DEMO_PASSWORD, expect, screenshots, test } from "./helpers";

// Runs in the "nojs" project: JavaScript is disabled, so every step is a plain form post.
test("login, a wrong password and logout all work without JavaScript", async ({ page }, testInfo) => {
  await page.goto("/login");
  await page.getByLabel("登录名").fill("liufang");
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toHaveText("登录名或密码不正确");

  await page.getByLabel("登录名").fill("liufang");
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("heading", { name: "刘芳，您好" })).toBeVisible();
  await screenshots(page, "home-nojs", testInfo);

  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/account/password");
  await expect(page).toHaveURL(/\/login\?next=\/account\/password/);
});

test("a member drafts and submits a material without JavaScript, and the secretary returns it", async ({
  page,
}, testInfo) => {
  await page.goto("/login");
  await page.getByLabel("登录名").fill("chenjing");
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  // Logged in before going on: the address bar must not race the login post.
  await expect(page.getByRole("heading", { name: "陈静，您好" })).toBeVisible();
  await page.goto("/materials");
  await page.getByRole("button", { name: "开始撰写发言材料" }).click();
  await expect(page.getByRole("heading", { name: "标题与开头" })).toBeVisible();

  await page.getByLabel("开头语（选填，每段一行）").fill("根据支部安排，现将个人对照检查情况报告如下：");
  await page.getByRole("button", { name: /保存，下一步/ }).click();
  await expect(page.getByRole("heading", { name: "上次整改措施落实情况" })).toBeVisible();

  const steps = page.getByRole("navigation", { name: "撰写步骤" });
  await steps.getByRole("button", { name: /^\d+\s*存在的问题/ }).click();
  await page.getByRole("button", { name: "＋ 添加问题" }).click();
  await page.getByLabel("问题概括（一句话）").fill("联系服务群众不够深入");
  await page.getByLabel("具体事例（时间、事情、数字）").fill("比如，今年走访社区只有3次。");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByLabel("问题概括（一句话）")).toHaveValue("联系服务群众不够深入");
  await screenshots(page, "editor-nojs", testInfo);

  await steps.getByRole("button", { name: /^\d+\s*问题产生的原因/ }).click();
  await page.getByRole("button", { name: "＋ 添加原因" }).click();
  await page.getByLabel("剖析", { exact: true }).fill("宗旨意识有所淡化。");
  await page.getByRole("checkbox", { name: /联系服务群众不够深入/ }).check();
  await steps.getByRole("button", { name: /^\d+\s*整改措施/ }).click();
  await page.getByRole("button", { name: "＋ 添加措施" }).click();
  await page.getByLabel("具体措施（做什么、做多少）").fill("每季度走访社区不少于2次。");
  await page.getByRole("checkbox", { name: /联系服务群众不够深入/ }).check();
  await page.getByLabel("长期坚持").check();
  await steps.getByRole("button", { name: /体检与提交/ }).click();

  await expect(page.getByRole("heading", { name: "材料体检" })).toBeVisible();
  await page.getByRole("button", { name: "提交给支部书记" }).click();
  await expect(page.getByText("材料已提交，等待支部书记审核。")).toBeVisible();
  await page.getByRole("link", { name: "预览全文" }).click();
  await expect(page.locator(".paper")).toContainText("（一）（针对第一个问题）每季度走访社区不少于2次。以上是我的发言材料");
  await expect(page.locator("table.doc-table tbody tr")).toHaveText([/联系服务群众不够深入\s*每季度走访社区不少于2次。\s*长期坚持/]);
  await page.getByRole("button", { name: "退出" }).click();

  // The secretary must pick a decision: without one the browser keeps the form and the
  // typed reason; with one the round's page confirms it.
  await page.getByLabel("登录名").fill("shuji2");
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("heading", { name: "赵卫东，您好" })).toBeVisible();
  await page.goto("/meetings");
  await page.getByRole("link", { name: "2026年度组织生活会" }).first().click();
  await page.getByRole("row", { name: /陈静/ }).getByRole("link", { name: "审核" }).click();
  await expect(page.getByRole("heading", { name: "陈静 的材料 · 第1轮提交" })).toBeVisible();
  const review = page.url();
  const decisionPosts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().includes("/api/decide_material")) decisionPosts.push(request.url());
  });
  await page.getByLabel(/理由/).fill("事例请写明走访的时间和社区");
  await page.getByRole("button", { name: "提交审核结论" }).click();
  await expect(page.locator("input[name=decision]:invalid")).toHaveCount(2);
  expect(page.url()).toBe(review);
  await expect(page.getByLabel(/理由/)).toHaveValue("事例请写明走访的时间和社区");
  await page.getByLabel("退回修改").check();
  await page.getByRole("button", { name: "提交审核结论" }).click();
  const decided = page.getByRole("region", { name: "下一份待审材料" });
  await expect(decided.getByRole("status")).toHaveText("已提交审核结论：退回修改。");
  expect(decisionPosts, "the form without a decision was never sent").toHaveLength(1);
  await expect(decided).toContainText("本次会议暂时没有其他等待您审核的材料。");
  await screenshots(page, "review-decided-nojs", testInfo);
  await page.getByRole("button", { name: "退出" }).click();

  // 陈静 is told on her home page, with the reason, and is led back to the material.
  await page.getByLabel("登录名").fill("chenjing");
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  const returned = page.getByRole("region", { name: "退回修改的材料" });
  await expect(returned).toContainText("被退回修改：事例请写明走访的时间和社区");
  await returned.getByRole("link", { name: "查看批注并修改" }).click();
  await expect(page.getByRole("region", { name: "审核意见" })).toContainText("事例请写明走访的时间和社区");
  await expect(page.getByRole("heading", { name: "标题与开头" })).toBeVisible();
});
