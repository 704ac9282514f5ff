// The single writer of a process: computing threads submit batches to a bounded queue and one
// thread commits them, one transaction each. Readers (other connections, WAL mode) never block
// it, and a Checkpointer copies the WAL into the database on another thread meanwhile. The first
// write error stops the writer; submit() and close() then rethrow it.
#pragma once

#include "db/checkpointer.hpp"
#include "db/store.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace cvg::db {

class Writer {
public:
    explicit Writer(Store& store, size_t capacity = 64);
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    ~Writer();  // drains and joins; errors are dropped here (call close() to see them)

    void submit(Batch batch);  // blocks while the queue is full
    void close();              // commits what is queued, joins, rethrows a write error
    // Called on the writer thread after each committed batch (progress, counters).
    void on_commit(std::function<void(const Batch&)> f) { on_commit_ = std::move(f); }

private:
    void loop();

    Store& store_;
    size_t capacity_;
    std::deque<Batch> queue_;
    std::mutex m_;
    std::condition_variable not_empty_, not_full_;
    bool closing_ = false;
    std::exception_ptr error_;
    std::function<void(const Batch&)> on_commit_;
    std::unique_ptr<Checkpointer> checkpointer_;  // while the thread runs
    std::thread thread_;
};

}  // namespace cvg::db
