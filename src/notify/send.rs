//! Sending one notice to one channel: HTTP for the robots and webhooks, SMTP for e-mail.
//! Errors come back as short Chinese texts for the delivery log; they never carry the
//! webhook address (it holds the robot's key) nor SMTP credentials.

use super::{NotifySeal, NotifySettings};
use crate::domain::notify::{
    ChannelKind, Notice, dingtalk_body, dingtalk_signature_query, email_parts, webhook_body,
    wecom_body,
};
use crate::store::notify::ChannelRecord;
use secrecy::{ExposeSecret, SecretString};

/// Whether SMTP speaks STARTTLS (the default) or plain text (a local relay or a test sink).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    StartTls,
    /// Only for a relay on the same host or network (`XINGSHEN_SMTP_TLS=none`).
    Plain,
}

/// SMTP settings, from the environment only; never stored in the database.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<SecretString>,
    pub from: String,
    pub security: SmtpSecurity,
}

impl SmtpSettings {
    /// `XINGSHEN_SMTP_HOST` (unset: no e-mail), `XINGSHEN_SMTP_PORT` (587),
    /// `XINGSHEN_SMTP_USER`, `XINGSHEN_SMTP_PASSWORD`, `XINGSHEN_SMTP_FROM` (required with a
    /// host), `XINGSHEN_SMTP_TLS` (`starttls`, or `none` for a local relay).
    pub fn from_env() -> Result<Option<Self>, String> {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|value| value.trim().to_string())
                .filter(|value| !value.is_empty())
        };
        let Some(host) = var("XINGSHEN_SMTP_HOST") else {
            return Ok(None);
        };
        let port = match var("XINGSHEN_SMTP_PORT") {
            Some(raw) => raw
                .parse()
                .map_err(|_| "XINGSHEN_SMTP_PORT 应为端口号".to_string())?,
            None => 587,
        };
        let from = var("XINGSHEN_SMTP_FROM")
            .ok_or("设置了 XINGSHEN_SMTP_HOST 时还需要 XINGSHEN_SMTP_FROM（发件地址）")?;
        let security = match var("XINGSHEN_SMTP_TLS").as_deref() {
            None | Some("starttls") => SmtpSecurity::StartTls,
            Some("none") => SmtpSecurity::Plain,
            Some(_) => return Err("XINGSHEN_SMTP_TLS 只能是 starttls 或 none".into()),
        };
        Ok(Some(Self {
            host,
            port,
            username: var("XINGSHEN_SMTP_USER"),
            password: var("XINGSHEN_SMTP_PASSWORD").map(SecretString::from),
            from,
            security,
        }))
    }
}

/// What a channel is sent with: its target and secret opened.
pub struct Delivery {
    pub kind: ChannelKind,
    pub target: String,
    pub secret: Option<String>,
}

/// Sends notices; one per process, shared by every round of the worker.
pub struct Sender {
    http: reqwest::Client,
    smtp: Option<SmtpSettings>,
    timeout: std::time::Duration,
}

impl Sender {
    pub fn new(settings: &NotifySettings) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            // A webhook that redirects is misconfigured; following it could carry the notice
            // somewhere nobody chose.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("xingshen/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| error.to_string())?;
        Ok(Self {
            http,
            smtp: settings.smtp.clone(),
            timeout: settings.timeout,
        })
    }

    /// Sends `notice` to `channel`; the error text is for the delivery log.
    pub async fn deliver(
        &self,
        seal: &NotifySeal,
        channel: &ChannelRecord,
        notice: &Notice,
    ) -> Result<(), String> {
        let target = seal
            .open(&channel.sealed_target)
            .map_err(|_| "无法读取保存的地址（密钥不符），请重新填写该渠道的地址".to_string())?;
        let secret = match &channel.sealed_secret {
            Some(sealed) => Some(
                seal.open(sealed)
                    .map_err(|_| "无法读取保存的加签密钥，请重新填写".to_string())?,
            ),
            None => None,
        };
        self.send(
            &Delivery {
                kind: channel.kind,
                target,
                secret,
            },
            notice,
        )
        .await
    }

    /// Sends `notice` as `delivery` says.
    pub async fn send(&self, delivery: &Delivery, notice: &Notice) -> Result<(), String> {
        match delivery.kind {
            ChannelKind::WeCom => self.post_robot(&delivery.target, &wecom_body(notice)).await,
            ChannelKind::DingTalk => {
                let address = match &delivery.secret {
                    Some(secret) => format!(
                        "{}{}",
                        delivery.target,
                        dingtalk_signature_query(secret, chrono::Utc::now().timestamp_millis())
                    ),
                    None => delivery.target.clone(),
                };
                self.post_robot(&address, &dingtalk_body(notice)).await
            }
            ChannelKind::Webhook => self
                .post(&delivery.target, &webhook_body(notice))
                .await
                .map(drop),
            ChannelKind::Email => self.mail(&delivery.target, notice).await,
        }
    }

    /// Posts to a group robot, which answers HTTP 200 with `{"errcode":0,"errmsg":"ok"}` on
    /// success and another errcode (a wrong key, a bad signature, too many messages) else.
    async fn post_robot(&self, address: &str, body: &serde_json::Value) -> Result<(), String> {
        let answer = self.post(address, body).await?;
        let parsed: serde_json::Value = serde_json::from_str(&answer)
            .map_err(|_| format!("机器人的回答无法识别：{}", shortened(&answer)))?;
        match parsed["errcode"].as_i64() {
            Some(0) => Ok(()),
            Some(code) => Err(format!(
                "机器人拒收（errcode {code}）：{}",
                shortened(parsed["errmsg"].as_str().unwrap_or_default())
            )),
            None => Err(format!("机器人的回答无法识别：{}", shortened(&answer))),
        }
    }

    /// Posts JSON; the answer's text when the status is 2xx.
    async fn post(&self, address: &str, body: &serde_json::Value) -> Result<String, String> {
        let response = self
            .http
            .post(address)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            )
            .body(body.to_string())
            .send()
            .await
            .map_err(|error| http_error(&error))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(format!("HTTP {}：{}", status.as_u16(), shortened(&text)));
        }
        Ok(text)
    }

    async fn mail(&self, recipients: &str, notice: &Notice) -> Result<(), String> {
        use lettre::message::header::ContentType;
        use lettre::transport::smtp::authentication::Credentials;
        use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
        let smtp = self
            .smtp
            .as_ref()
            .ok_or("服务器没有配置 SMTP（XINGSHEN_SMTP_HOST），无法发送邮件")?;
        let (subject, body) = email_parts(notice);
        let from = smtp
            .from
            .parse()
            .map_err(|_| "发件地址 XINGSHEN_SMTP_FROM 格式不对".to_string())?;
        let mut message = Message::builder().from(from).subject(subject);
        for address in recipients.split(',').map(str::trim) {
            let to = address
                .parse()
                .map_err(|_| format!("收件地址格式不对：{address}"))?;
            message = message.to(to);
        }
        // Base64 keeps Chinese text intact through any relay.
        let message = message
            .singlepart(
                lettre::message::SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(lettre::message::header::ContentTransferEncoding::Base64)
                    .body(body),
            )
            .map_err(|error| format!("邮件无法生成：{error}"))?;
        let mut transport = match smtp.security {
            SmtpSecurity::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                    .map_err(|error| format!("SMTP 设置有误：{error}"))?
            }
            SmtpSecurity::Plain => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
            }
        }
        .port(smtp.port)
        .timeout(Some(self.timeout));
        if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
            transport = transport.credentials(Credentials::new(
                user.clone(),
                password.expose_secret().to_string(),
            ));
        }
        transport
            .build()
            .send(message)
            .await
            .map(drop)
            .map_err(|error| format!("邮件发送失败：{}", shortened(&error.to_string())))
    }
}

/// A transport error without the address it was sent to (which holds the robot's key).
fn http_error(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "连接超时"
    } else if error.is_connect() {
        "无法连接"
    } else {
        "请求失败"
    };
    let detail = std::error::Error::source(error)
        .map(|source| source.to_string())
        .unwrap_or_default();
    format!("{kind}：{}", shortened(&detail))
}

/// At most 200 characters of a remote answer, for the log.
fn shortened(text: &str) -> String {
    crate::domain::notify::shortened(text, 200)
}
