//! The one error type of the server-function layer. It crosses the wire as JSON and renders
//! as a Chinese sentence; internal detail is logged on the server and never sent.

use crate::domain::DomainError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// Not logged in, or the session ended.
    #[error("请先登录")]
    Unauthenticated,
    /// The account still has an initial or reset password: nothing but changing it (and
    /// logging out) is allowed until it is replaced.
    #[error("请先修改初始密码")]
    PasswordChangeRequired,
    /// The record does not exist or the actor may not see it: the two look the same.
    #[error("没有找到该内容，或您无权访问")]
    NotFound,
    /// Bad input; the message says what to fix.
    #[error("{0}")]
    Invalid(String),
    /// Several bad rows of one upload, each with its row number.
    #[error("{}", .0.join("；"))]
    InvalidRows(Vec<String>),
    /// Submission refused by the blocking rules of the 材料体检, one message each.
    #[error("材料体检还有问题需要处理：{}", .0.join("；"))]
    Blocked(Vec<String>),
    /// The record changed or exists already; the message says how.
    #[error("{0}")]
    Conflict(String),
    /// Login attempts throttled.
    #[error("尝试次数过多，请 {seconds} 秒后再试")]
    Throttled { seconds: u64 },
    /// Too many uploads are being read at once; this one waited its turn in vain.
    #[error("服务器正忙，请稍后再试")]
    Busy,
    /// Something failed on the server; detail is in the server log.
    #[error("服务器暂时出错，请稍后重试；您填写的内容没有丢失")]
    Internal,
    /// The request did not reach the function or its answer did not arrive.
    #[error("网络连接失败，请稍后重试（{0}）")]
    Transport(String),
}

impl AppError {
    /// The HTTP status a server function answers this error with (server_fn sends 500 for
    /// every error; `web::error_status` sets this one). The browser decodes any 4xx or 5xx
    /// answer of a server function as the error, so the status is for everything else that
    /// reads the answer: proxies, logs, monitoring, scripts. Only failures of the server
    /// itself are 5xx.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::PasswordChangeRequired => 403,
            Self::NotFound => 404,
            Self::Invalid(_) | Self::InvalidRows(_) => 400,
            Self::Blocked(_) | Self::Conflict(_) => 409,
            Self::Throttled { .. } => 429,
            Self::Busy => 503,
            Self::Internal | Self::Transport(_) => 500,
        }
    }
}

impl From<DomainError> for AppError {
    fn from(error: DomainError) -> Self {
        Self::Invalid(error.to_string())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => {
                Self::Invalid(format!("提交的内容不完整或格式不对（{detail}）"))
            }
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::store::StoreError> for AppError {
    /// The single place where store failures are logged and turned into something a
    /// user may see.
    fn from(error: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        match error {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict(message) => Self::Conflict(message),
            StoreError::Database(detail) => {
                tracing::error!(%detail, "store failure");
                Self::Internal
            }
        }
    }
}
