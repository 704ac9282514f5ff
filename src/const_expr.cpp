#include "src/const_expr.hpp"

#include "src/constants.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <vector>

namespace cvg {

struct ConstExpr::Node {
    enum Kind { integer, constant, neg, add, sub, mul, div, pow, func } kind;
    int height = 1;            // of the tree below: bounded, so evaluating and freeing it recurse boundedly
    Int value;                 // integer, or the power for pow
    ConstantExpr c;            // constant
    std::string fname;         // func
    std::shared_ptr<const Node> l, r;
};

namespace {

using NodeP = std::shared_ptr<const ConstExpr::Node>;
using Node = ConstExpr::Node;

// Limits that keep the recursion of parsing, evaluating and freeing an expression within the
// stack whatever the input: nesting of parentheses, signs and functions, and the tree's height
// (a long sum "1+1+...+1" is a deep tree).
constexpr int kMaxNesting = 200;
constexpr int kMaxHeight = 1000;

NodeP make(Node::Kind k, NodeP l = nullptr, NodeP r = nullptr) {
    auto n = std::make_shared<Node>();
    n->kind = k;
    n->l = std::move(l);
    n->r = std::move(r);
    n->height = 1 + std::max(n->l ? n->l->height : 0, n->r ? n->r->height : 0);
    return n;
}

class Parser {
public:
    explicit Parser(std::string_view s) : s_(s) {}
    NodeP parse() {
        if (peek() == '\0') fail("empty expression");
        NodeP n = checked(expr());
        if (peek() != '\0') fail("unexpected '" + std::string(1, s_[i_]) + "'");
        return n;
    }

private:
    [[noreturn]] void fail(const std::string& why) {
        throw ParseError(why + " at position " + std::to_string(i_ + 1) + " in '" + std::string(s_) + "'");
    }
    // One more level of recursion (a parenthesis, a sign, a function); undone when the guard goes.
    struct Nest {
        Parser& p;
        explicit Nest(Parser& parser) : p(parser) {
            if (++p.depth_ > kMaxNesting) p.fail("nested more than " + std::to_string(kMaxNesting) + " deep");
        }
        ~Nest() { --p.depth_; }
    };
    NodeP checked(NodeP n) {
        if (n->height > kMaxHeight) fail("more than " + std::to_string(kMaxHeight) + " terms deep");
        return n;
    }
    char peek() {
        while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
        return i_ < s_.size() ? s_[i_] : '\0';
    }
    NodeP expr() {
        NodeP n = term();
        for (char c = peek(); c == '+' || c == '-'; c = peek()) {
            ++i_;
            n = checked(make(c == '+' ? Node::add : Node::sub, n, term()));
        }
        return n;
    }
    NodeP term() {
        NodeP n = unary();
        for (;;) {
            char c = peek();
            if (c == '*' || c == '/') {
                ++i_;
                n = checked(make(c == '*' ? Node::mul : Node::div, n, unary()));
            } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '(') {
                n = checked(make(Node::mul, n, unary()));  // implicit product: 2pi, 3(e+1)
            } else {
                return n;
            }
        }
    }
    NodeP unary() {
        char c = peek();
        if (c == '-' || c == '+') {
            ++i_;
            Nest nest(*this);
            NodeP u = unary();
            return c == '-' ? checked(make(Node::neg, u)) : u;
        }
        NodeP base = primary();
        if (peek() != '^') return base;
        ++i_;
        bool negative = peek() == '-';
        if (negative) ++i_;
        size_t start = i_;
        while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
        if (start == i_ || i_ - start > 4) fail("the power must be an integer from -9999 to 9999");
        auto n = std::make_shared<Node>();
        n->kind = Node::pow;
        n->l = base;
        n->height = base->height + 1;
        n->value = Int(std::stol(std::string(s_.substr(start, i_ - start))) * (negative ? -1 : 1));
        return n;
    }
    NodeP primary() {
        char c = peek();
        if (c == '(') {
            ++i_;
            Nest nest(*this);
            NodeP n = expr();
            if (peek() != ')') fail("missing ')'");
            ++i_;
            return n;
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            size_t start = i_;
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
            if (i_ < s_.size() && s_[i_] == '.') fail("write decimals as fractions");
            if (i_ - start > 1000) fail("integer too long");
            auto n = std::make_shared<Node>();
            n->kind = Node::integer;
            fmpz_set_str(n->value.get(), std::string(s_.substr(start, i_ - start)).c_str(), 10);
            return n;
        }
        if (std::isalpha(static_cast<unsigned char>(c))) {
            size_t start = i_;
            while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) ++i_;
            std::string name(s_.substr(start, i_ - start));
            if (name == "sqrt" || name == "cbrt" || name == "log" || name == "exp") {
                if (peek() != '(') fail("'" + name + "' needs parentheses");
                ++i_;
                auto n = std::make_shared<Node>();
                n->kind = Node::func;
                n->fname = name;
                Nest nest(*this);
                n->l = expr();
                n->height = n->l->height + 1;
                if (peek() != ')') fail("missing ')'");
                ++i_;
                return n;
            }
            auto n = std::make_shared<Node>();
            n->kind = Node::constant;
            try {
                n->c = parse_constant(name);
            } catch (const ParseError&) {
                i_ = start;
                fail("unknown constant '" + name + "'");
            }
            return n;
        }
        if (c == '\0') fail("unexpected end");
        fail("unexpected '" + std::string(1, c) + "'");
    }

    std::string_view s_;
    size_t i_ = 0;
    int depth_ = 0;
};

void eval(const Node& n, Ball& out, slong prec) {
    Ball a, b;
    switch (n.kind) {
        case Node::integer: arb_set_fmpz(out.get(), n.value.get()); return;
        case Node::constant: out = constant_value(n.c, prec); return;
        case Node::neg: eval(*n.l, out, prec); arb_neg(out.get(), out.get()); return;
        case Node::pow:
            eval(*n.l, a, prec);
            if (n.value.sign() >= 0) {
                arb_pow_fmpz(out.get(), a.get(), n.value.get(), prec);
            } else {
                Int e;
                fmpz_neg(e.get(), n.value.get());
                arb_pow_fmpz(out.get(), a.get(), e.get(), prec);
                arb_inv(out.get(), out.get(), prec);
            }
            return;
        case Node::func:
            eval(*n.l, a, prec);
            if (n.fname == "sqrt") arb_sqrt(out.get(), a.get(), prec);
            else if (n.fname == "cbrt") arb_root_ui(out.get(), a.get(), 3, prec);
            else if (n.fname == "log") arb_log(out.get(), a.get(), prec);
            else arb_exp(out.get(), a.get(), prec);
            return;
        default: break;
    }
    eval(*n.l, a, prec);
    eval(*n.r, b, prec);
    switch (n.kind) {
        case Node::add: arb_add(out.get(), a.get(), b.get(), prec); break;
        case Node::sub: arb_sub(out.get(), a.get(), b.get(), prec); break;
        case Node::mul: arb_mul(out.get(), a.get(), b.get(), prec); break;
        case Node::div: arb_div(out.get(), a.get(), b.get(), prec); break;
        default: break;
    }
}

}  // namespace

ConstExpr ConstExpr::parse(std::string_view text) {
    ConstExpr e;
    e.root_ = Parser(text).parse();
    e.text_ = std::string(text);
    return e;
}

Ball ConstExpr::value(slong prec) const {
    Ball v;
    for (slong wp = prec + 32; wp <= 16 * prec + 1024; wp *= 2) {
        eval(*root_, v, wp);
        if (arb_rel_accuracy_bits(v.get()) >= prec) return v;
        if (!arb_is_finite(v.get())) break;
    }
    throw std::domain_error("'" + text_ + "' cannot be evaluated (division by zero, log of a non-positive number, "
                            "or a value too close to 0)");
}

}  // namespace cvg
