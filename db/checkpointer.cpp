#include "db/checkpointer.hpp"

#include "db/store.hpp"

namespace cvg::db {

Checkpointer::Checkpointer(Store& store, int start_frames, int wait_frames)
    : store_(store), start_frames_(start_frames), wait_frames_(wait_frames < start_frames ? start_frames : wait_frames) {
    Connection& w = store_.connection();
    try {
        c_ = std::make_unique<Connection>(w.path(), Connection::Mode::read_write);
        c_->exec("PRAGMA synchronous = NORMAL");  // the checkpoint syncs as the Store's own would
    } catch (const DbError&) {
        c_.reset();  // no second connection: the Store keeps checkpointing by itself
        return;
    }
    sqlite3_wal_autocheckpoint(c_->get(), 0);  // this connection never writes; be sure it never checkpoints on commit
    thread_ = std::thread([this] { loop(); });
    sqlite3_wal_hook(w.get(), &Checkpointer::on_commit, this);  // replaces the automatic checkpoints
}

Checkpointer::~Checkpointer() {
    if (!thread_.joinable()) return;
    sqlite3_wal_autocheckpoint(store_.connection().get(), kStartFrames);  // SQLite's default hook again
    {
        std::lock_guard<std::mutex> lock(m_);
        stop_ = true;
    }
    wake_.notify_one();
    done_.notify_all();
    thread_.join();
}

int64_t Checkpointer::checkpoints() const {
    std::lock_guard<std::mutex> lock(m_);
    return runs_;
}

// Called by SQLite on the writer's thread after each commit, with the write lock released.
int Checkpointer::on_commit(void* self, sqlite3*, const char*, int frames) {
    auto* cp = static_cast<Checkpointer*>(self);
    if (frames < cp->start_frames_) return SQLITE_OK;
    std::unique_lock<std::mutex> lock(cp->m_);
    int64_t request = ++cp->requested_;
    cp->wake_.notify_one();
    if (frames >= cp->wait_frames_)
        cp->done_.wait(lock, [&] { return cp->completed_ >= request || cp->stop_; });
    return SQLITE_OK;
}

void Checkpointer::loop() {
    std::unique_lock<std::mutex> lock(m_);
    for (;;) {
        wake_.wait(lock, [&] { return stop_ || requested_ > completed_; });
        if (stop_) return;
        int64_t covers = requested_;  // every commit before this request is in the WAL now
        lock.unlock();
        // Errors are left alone: the next commit asks again, and the WAL is checkpointed when the
        // last connection closes. PASSIVE never waits for a lock.
        int log = 0, copied = 0;
        sqlite3_wal_checkpoint_v2(c_->get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
        lock.lock();
        completed_ = covers;
        ++runs_;
        done_.notify_all();
    }
}

}  // namespace cvg::db
