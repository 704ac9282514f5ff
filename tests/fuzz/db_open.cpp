// Fuzz target: opening a database file (any bytes) with db::Store, read-only and read-write, then
// the reads every command starts with.
// Properties: only db::DbError is thrown; an open store reports a schema version it understands
// (read-write: the current one); a file refused as "not a database", "not a Convergent
// database" or "newer schema" is left byte for byte as it was; a read-write store that opened
// accepts a batch (or throws DbError).
#include "tests/fuzz/fuzz_check.hpp"

#include "db/store.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

using cvg::db::DbError;
using cvg::db::Store;

namespace {

std::string temp_dir() {
    static std::string dir = [] {
        const char* base = std::getenv("TMPDIR");
        std::string t = std::string(base && *base ? base : "/tmp") + "/convergent-fuzz-db-XXXXXX";
        if (!mkdtemp(t.data())) std::abort();
        return t;
    }();
    return dir;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void remove_db(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((path + suffix).c_str());
}

bool refused_untouched(const DbError& e) {
    std::string_view m = e.what();
    return e.bad_input() && (m.find("not an SQLite database") != m.npos || m.find("not a Convergent database") != m.npos ||
                             m.find("newer than") != m.npos);
}

void reads(Store& s) {
    s.done_units(1);
    s.run(1);
    s.find_run("search", "{}");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    setenv("CONVERGENT_BUSY_TIMEOUT_MS", "0", 1);  // nothing else holds these files
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in = cvg::fuzz::as_text(data, size);
    const std::string path = temp_dir() + "/f.db";
    remove_db(path);
    write(path, in);
    try {
        Store s(path, Store::Open::read_only);
        FUZZ_CHECK(s.schema_version() >= 1 && s.schema_version() <= cvg::db::kSchemaVersion, in);
        reads(s);
    } catch (const DbError& e) {
        if (refused_untouched(e)) FUZZ_CHECK(slurp(path) == in, in, std::string("changed by read-only open: ") + e.what());
    }
    FUZZ_CHECK(slurp(path) == in, in, "a read-only open changed the file");
    remove_db(path);
    write(path, in);
    try {
        Store s(path, Store::Open::read_write);
        FUZZ_CHECK(s.schema_version() == cvg::db::kSchemaVersion, in);
        reads(s);
        cvg::db::Batch batch;
        batch.run_id = s.begin_run({"fuzz", "{\"x\":1}", "0", 1});
        cvg::db::EvaluationRow ev;
        ev.pcf = {"[1,2]", "[0,0,1]", "2n+1", "n^2", 1, 2};
        ev.depth = 10;
        batch.evaluations.push_back(ev);
        batch.unit = cvg::db::WorkUnitRow{0, 1, 0, 0, 0.5};
        s.write(batch);
        FUZZ_CHECK(s.done_units(batch.run_id).count(0) == 1, in, "the unit written is not done");
    } catch (const DbError& e) {
        if (refused_untouched(e)) FUZZ_CHECK(slurp(path) == in, in, std::string("refused but changed: ") + e.what());
    }
    remove_db(path);
    return 0;
}
