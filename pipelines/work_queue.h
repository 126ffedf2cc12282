// Private to pipelines/: what the batch commands (run, extract) share — the queue from
// the worker threads to the single writer, and the progress line.
#ifndef KOBUN_PIPELINES_WORK_QUEUE_H_
#define KOBUN_PIPELINES_WORK_QUEUE_H_

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace kobun::pipelines {

// Results travel from the workers to the single writer through this queue. It is
// bounded so that memory follows the work in flight, not the size of the batch.
template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

  void Push(T item) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(item));
    not_empty_.notify_one();
  }

  std::optional<T> Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !items_.empty() || producers_ == 0; });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  void SetProducers(int n) {
    std::lock_guard lock(mu_);
    producers_ = n;
  }
  void ProducerDone() {
    std::lock_guard lock(mu_);
    if (--producers_ == 0) not_empty_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<T> items_;
  size_t capacity_;
  int producers_ = 0;
};

class Progress {
 public:
  Progress(bool enabled, size_t total) : enabled_(enabled), total_(total), start_(Clock::now()) {}

  void Update(size_t done, int pages, const std::string& path) {
    if (!enabled_) return;
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    std::string name = path;
    if (name.size() > 50) name = "…" + name.substr(name.size() - 49);
    std::fprintf(stderr, "\r\033[K[%zu/%zu] %3.0f%%  %.1f pages/s  %s", done, total_,
                 total_ ? 100.0 * static_cast<double>(done) / static_cast<double>(total_) : 100.0,
                 seconds > 0 ? pages / seconds : 0.0, name.c_str());
    std::fflush(stderr);
  }
  void Clear() {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  size_t total_;
  Clock::time_point start_;
};

}  // namespace kobun::pipelines

#endif  // KOBUN_PIPELINES_WORK_QUEUE_H_
