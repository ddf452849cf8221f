//! Reading an uploaded file (a .docx draft, a roster) is CPU work on input anyone can
//! craft. It runs on the blocking pool, a few reads at a time, each within a time limit:
//! a burst of hostile uploads queues behind those few and is turned away after a wait,
//! while the async threads go on answering everyone else's pages.

use super::AppError;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The reads of uploads allowed to run at once, and how long they may wait and take.
pub struct UploadGate {
    permits: Arc<Semaphore>,
    queue_wait: Duration,
    work_limit: Duration,
}

impl Default for UploadGate {
    /// Two reads at once (of the two cores a small server has, one stays for the pages),
    /// 10 seconds in the queue, 20 seconds of work: a real upload, within the size limits,
    /// is read in well under a second.
    fn default() -> Self {
        Self::new(2, Duration::from_secs(10), Duration::from_secs(20))
    }
}

impl UploadGate {
    pub fn new(at_once: usize, queue_wait: Duration, work_limit: Duration) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(at_once)),
            queue_wait,
            work_limit,
        }
    }

    /// Runs `read` on the blocking pool once a place is free. Too long a wait answers
    /// [`AppError::Busy`]; too long a read answers that the file cannot be read (the read
    /// itself goes on to its end, holding its place, so no more than the allowed number
    /// ever run).
    pub async fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(self.queue_wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(|_| AppError::Internal)?;
        let reading = tokio::task::spawn_blocking(move || {
            let _place = permit;
            read()
        });
        match tokio::time::timeout(self.work_limit, reading).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => {
                tracing::error!(%error, "reading an upload failed");
                Err(AppError::Internal)
            }
            Err(_) => {
                tracing::warn!(limit = ?self.work_limit, "reading an upload took too long");
                Err(AppError::Invalid(crate::export::package::TOO_LARGE.into()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn no_more_reads_run_at_once_than_allowed_and_the_rest_wait_their_turn() {
        let gate = Arc::new(UploadGate::new(
            2,
            Duration::from_secs(60),
            Duration::from_secs(60),
        ));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let reads: Vec<_> = (0..8)
            .map(|n| {
                let (gate, running, most) = (gate.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    gate.read(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                        n
                    })
                    .await
                })
            })
            .collect();
        for (n, read) in reads.into_iter().enumerate() {
            assert_eq!(read.await.unwrap(), Ok(n));
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_read_that_cannot_get_a_place_in_time_is_told_the_server_is_busy() {
        let gate = Arc::new(UploadGate::new(
            1,
            Duration::from_millis(50),
            Duration::from_secs(60),
        ));
        let (started, release) = (
            Arc::new(tokio::sync::Notify::new()),
            std::sync::mpsc::channel::<()>(),
        );
        let (signal, (unblock, wait)) = (started.clone(), release);
        let holder = {
            let gate = gate.clone();
            tokio::spawn(async move {
                gate.read(move || {
                    signal.notify_one();
                    wait.recv().ok();
                })
                .await
            })
        };
        started.notified().await;
        assert_eq!(gate.read(|| ()).await, Err(AppError::Busy));
        unblock.send(()).unwrap();
        assert_eq!(holder.await.unwrap(), Ok(()));
        assert_eq!(gate.read(|| 7).await, Ok(7));
    }

    #[tokio::test]
    async fn a_read_past_the_time_limit_is_refused_and_keeps_its_place_until_it_ends() {
        let gate = UploadGate::new(1, Duration::from_millis(50), Duration::from_millis(50));
        let (unblock, wait) = std::sync::mpsc::channel::<()>();
        let refused = gate
            .read(move || {
                wait.recv().ok();
            })
            .await;
        assert_eq!(
            refused,
            Err(AppError::Invalid("文件过大或结构异常，无法读取".into()))
        );
        // Its place is still taken: the next read cannot start.
        assert_eq!(gate.read(|| ()).await, Err(AppError::Busy));
        unblock.send(()).unwrap();
        assert_eq!(
            tokio::time::timeout(Duration::from_secs(10), async {
                loop {
                    if let Ok(value) = gate.read(|| 1).await {
                        return value;
                    }
                }
            })
            .await,
            Ok(1)
        );
    }
}
