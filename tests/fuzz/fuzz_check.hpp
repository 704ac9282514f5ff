// Shared by the fuzz targets: a failed property prints what broke and the input, then aborts,
// so that libFuzzer (and the short-run driver) record it as a crash.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace cvg::fuzz {

[[noreturn]] inline void fail(const char* property, const char* file, int line, std::string_view input,
                              const std::string& detail = "") {
    std::fprintf(stderr, "%s:%d: property failed: %s\n", file, line, property);
    if (!detail.empty()) std::fprintf(stderr, "  detail: %s\n", detail.c_str());
    std::string shown(input.substr(0, 400));
    std::fprintf(stderr, "  input (%zu bytes): '%s'%s\n", input.size(), shown.c_str(), input.size() > 400 ? "..." : "");
    std::abort();
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace cvg::fuzz

// FUZZ_CHECK(condition, input[, detail]): abort with a message when the property does not hold.
#define FUZZ_CHECK(cond, input, ...)                                                   \
    do {                                                                               \
        if (!(cond)) ::cvg::fuzz::fail(#cond, __FILE__, __LINE__, (input), ##__VA_ARGS__); \
    } while (0)
