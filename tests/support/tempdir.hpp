// A fresh directory under /tmp for one test, removed with its contents afterwards.
#pragma once

#include <filesystem>
#include <string>

namespace cvg::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);

}  // namespace cvg::test
