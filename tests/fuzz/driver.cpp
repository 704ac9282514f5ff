// A libFuzzer-compatible driver for builds without libFuzzer (the normal compiler, ctest):
// runs LLVMFuzzerTestOneInput on every file of the seed corpus, then on N deterministic
// mutations of the seeds (fixed seed: the same inputs on every machine and every run).
//
//   fuzz_TARGET CORPUS_DIR [--mutations N] [--seed S] [--max-len L]
//   fuzz_TARGET FILE...            run the given inputs only (reproduce a crash)
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

using Bytes = std::vector<uint8_t>;

struct Rng {  // xorshift64*: portable and deterministic, unlike the std distributions
    uint64_t s;
    uint64_t next() {
        s ^= s >> 12; s ^= s << 25; s ^= s >> 27;
        return s * 2685821657736338717ULL;
    }
    size_t below(size_t n) { return n ? static_cast<size_t>(next() % n) : 0; }
};

// Bytes that matter to the parsers under test: operators, digits, brackets, quotes, separators.
const char kInteresting[] = "0123456789n+-*/^()[]{}:,.\"'@e E\\x\n\t;=_%!\xff\xe2";

Bytes mutate(const std::vector<Bytes>& seeds, Rng& rng, size_t max_len) {
    Bytes x = seeds[rng.below(seeds.size())];
    int rounds = 1 + static_cast<int>(rng.below(4));
    for (int r = 0; r < rounds; ++r) {
        size_t pos = rng.below(x.size() + 1);
        switch (rng.below(8)) {
            case 0:  // flip a bit
                if (!x.empty()) x[rng.below(x.size())] ^= static_cast<uint8_t>(1u << rng.below(8));
                break;
            case 1:  // replace a byte with an interesting one
                if (!x.empty()) x[rng.below(x.size())] = static_cast<uint8_t>(kInteresting[rng.below(sizeof kInteresting - 1)]);
                break;
            case 2:  // insert an interesting byte
                x.insert(x.begin() + static_cast<long>(pos), static_cast<uint8_t>(kInteresting[rng.below(sizeof kInteresting - 1)]));
                break;
            case 3: {  // delete a range
                size_t len = 1 + rng.below(8);
                if (pos < x.size()) x.erase(x.begin() + static_cast<long>(pos), x.begin() + static_cast<long>(std::min(x.size(), pos + len)));
                break;
            }
            case 4: {  // duplicate a range in place
                if (x.empty()) break;
                size_t start = rng.below(x.size()), len = 1 + rng.below(std::min<size_t>(16, x.size() - start));
                Bytes chunk(x.begin() + static_cast<long>(start), x.begin() + static_cast<long>(start + len));
                x.insert(x.begin() + static_cast<long>(start), chunk.begin(), chunk.end());
                break;
            }
            case 5: {  // splice: a piece of another seed
                const Bytes& y = seeds[rng.below(seeds.size())];
                if (y.empty()) break;
                size_t start = rng.below(y.size()), len = 1 + rng.below(y.size() - start);
                x.insert(x.begin() + static_cast<long>(pos), y.begin() + static_cast<long>(start),
                         y.begin() + static_cast<long>(start + len));
                break;
            }
            case 6: {  // repeat a short chunk many times (deep nesting, long numbers)
                if (x.empty()) break;
                size_t start = rng.below(x.size()), len = 1 + rng.below(std::min<size_t>(4, x.size() - start));
                Bytes chunk(x.begin() + static_cast<long>(start), x.begin() + static_cast<long>(start + len));
                size_t times = 16u << rng.below(8);
                for (size_t t = 0; t < times && x.size() < max_len; ++t) x.insert(x.begin() + static_cast<long>(start), chunk.begin(), chunk.end());
                break;
            }
            default:  // truncate
                x.resize(pos);
                break;
        }
    }
    if (x.size() > max_len) x.resize(max_len);
    return x;
}

Bytes read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// One input; an exception escaping the target is a failure: show the input (escaped) and abort.
void run_one(const Bytes& x) {
    try {
        LLVMFuzzerTestOneInput(x.data(), x.size());
    } catch (const std::exception& e) {
        std::string shown;
        for (size_t i = 0; i < x.size() && i < 400; ++i) {
            char buf[8];
            unsigned char c = x[i];
            if (c >= 32 && c < 127 && c != '\\') shown += static_cast<char>(c);
            else { std::snprintf(buf, sizeof buf, "\\x%02x", c); shown += buf; }
        }
        std::fprintf(stderr, "fuzz driver: uncaught exception: %s\n  input (%zu bytes): '%s'\n", e.what(), x.size(),
                     shown.c_str());
        std::abort();
    }
}

int usage() {
    std::fprintf(stderr, "usage: fuzz_TARGET CORPUS_DIR [--mutations N] [--seed S] [--max-len L] | FILE...\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    if (argc < 2) return usage();
    std::vector<std::string> paths;
    long mutations = 0;
    uint64_t seed = 20261123;
    size_t max_len = 4096;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if ((a == "--mutations" || a == "--seed" || a == "--max-len") && i + 1 < argc) {
            unsigned long long v = std::strtoull(argv[++i], nullptr, 10);
            if (a == "--mutations") mutations = static_cast<long>(v);
            else if (a == "--seed") seed = v;
            else max_len = static_cast<size_t>(v);
        } else if (!a.empty() && a[0] == '-') {
            return usage();
        } else {
            paths.push_back(a);
        }
    }
    std::vector<Bytes> seeds;
    for (const std::string& p : paths) {
        std::error_code ec;
        if (std::filesystem::is_directory(p, ec)) {
            std::vector<std::filesystem::path> files;
            for (const auto& e : std::filesystem::directory_iterator(p))
                if (e.is_regular_file()) files.push_back(e.path());
            std::sort(files.begin(), files.end());  // a fixed order: the mutations depend on it
            for (const auto& f : files) seeds.push_back(read_bytes(f));
        } else if (std::filesystem::is_regular_file(p, ec)) {
            seeds.push_back(read_bytes(p));
        } else {
            std::fprintf(stderr, "fuzz driver: cannot read '%s'\n", p.c_str());
            return 2;
        }
    }
    if (seeds.empty()) {
        std::fprintf(stderr, "fuzz driver: no inputs\n");
        return 2;
    }
    auto t0 = std::chrono::steady_clock::now();
    for (const Bytes& s : seeds) run_one(s);
    Rng rng{seed | 1};
    for (long i = 0; i < mutations; ++i) {
        Bytes x = mutate(seeds, rng, max_len);
        run_one(x);
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%zu seeds + %ld mutations, no property failed (%.2f s)\n", seeds.size(), mutations, secs);
    return 0;
}
