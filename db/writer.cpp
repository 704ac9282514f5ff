#include "db/writer.hpp"

namespace cvg::db {

Writer::Writer(Store& store, size_t capacity)
    : store_(store),
      capacity_(capacity == 0 ? 1 : capacity),
      checkpointer_(std::make_unique<Checkpointer>(store)),
      thread_([this] { loop(); }) {}

Writer::~Writer() {
    try {
        close();
    } catch (...) {
    }
}

void Writer::submit(Batch batch) {
    std::unique_lock<std::mutex> lock(m_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_ || error_ || closing_; });
    if (error_) std::rethrow_exception(error_);
    if (closing_) throw DbError("internal error: write after close");
    queue_.push_back(std::move(batch));
    not_empty_.notify_one();
}

void Writer::close() {
    {
        std::lock_guard<std::mutex> lock(m_);
        closing_ = true;
        not_empty_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
    checkpointer_.reset();
    std::lock_guard<std::mutex> lock(m_);
    if (error_) std::rethrow_exception(error_);
}

void Writer::loop() {
    for (;;) {
        Batch b;
        {
            std::unique_lock<std::mutex> lock(m_);
            not_empty_.wait(lock, [&] { return !queue_.empty() || closing_; });
            if (queue_.empty()) return;  // closing and drained
            b = std::move(queue_.front());
            queue_.pop_front();
            not_full_.notify_one();
        }
        try {
            store_.write(b);
            if (on_commit_) on_commit_(b);
        } catch (...) {
            std::lock_guard<std::mutex> lock(m_);
            error_ = std::current_exception();
            queue_.clear();
            not_full_.notify_all();
            return;
        }
    }
}

}  // namespace cvg::db
