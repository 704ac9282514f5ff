// Checkpoints a Store's WAL on a thread of its own, so that its writer thread does not copy pages
// into the database file and wait for fsync after its commits. While a Checkpointer lives, the
// Store's connection does not checkpoint by itself; after a commit that leaves at least
// `start_frames` frames in the WAL it wakes the thread, which runs a PASSIVE checkpoint on a
// connection of its own (a passive checkpoint never blocks readers or the writer). SQLite starts
// the WAL over only when it was fully checkpointed before the writer's transaction began, so after
// a commit that leaves `wait_frames` frames or more the writer waits for a checkpoint that covers
// them: the WAL stays bounded, as with SQLite's own automatic checkpoints. Durability is that of
// the Store (WAL, synchronous = NORMAL: a checkpoint syncs the WAL before copying it).
#pragma once

#include "db/sqlite.hpp"

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

namespace cvg::db {

class Store;

class Checkpointer {
public:
    static constexpr int kStartFrames = 1000;  // SQLite's default automatic checkpoint
    static constexpr int kWaitFrames = 8000;   // 32 MB of 4 KB pages
    // Uses the Store's connection only here and in the destructor: construct and destroy it while
    // no other thread uses the Store. If a second connection cannot be opened, does nothing.
    explicit Checkpointer(Store& store, int start_frames = kStartFrames, int wait_frames = kWaitFrames);
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;
    ~Checkpointer();  // stops the thread; the Store's connection checkpoints automatically again

    int64_t checkpoints() const;  // checkpoints run so far (tests)

private:
    static int on_commit(void* self, sqlite3* db, const char* schema, int frames);
    void loop();

    Store& store_;
    int start_frames_, wait_frames_;
    std::unique_ptr<Connection> c_;  // the thread's own connection
    mutable std::mutex m_;
    std::condition_variable wake_, done_;
    int64_t requested_ = 0, completed_ = 0;  // request numbers: the last asked for, the last covered
    int64_t runs_ = 0;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace cvg::db
