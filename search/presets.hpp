// The domains of the Ramanujan Machine's published MITM-RF searches (Raayoni et al., Nature
// 2021, and its repository), ready to run: `convergent search --preset NAME`.
#pragma once

#include <string>

namespace cvg::search {

struct Preset {
    const char* name;
    const char* constant;
    const char* domain;  // JSON, as for --domain
    int lhs_coef;
    const char* description;
};

const Preset* find_preset(const std::string& name);
std::string preset_names();  // "e, pi, zeta3, ..."

}  // namespace cvg::search
