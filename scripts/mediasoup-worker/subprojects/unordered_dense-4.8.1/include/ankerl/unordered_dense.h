// Stand-in for ankerl::unordered_dense: mediasoup only uses map, set and hash,
// which the standard containers provide with the same interface it relies on.
#ifndef FITLIVE_ANKERL_UNORDERED_DENSE_STANDIN_H
#define FITLIVE_ANKERL_UNORDERED_DENSE_STANDIN_H
#include <functional>
#include <unordered_map>
#include <unordered_set>

namespace ankerl::unordered_dense {
template <class T> using hash = std::hash<T>;
template <class Key, class T, class Hash = hash<Key>, class KeyEqual = std::equal_to<Key>,
          class Alloc = std::allocator<std::pair<const Key, T>>>
using map = std::unordered_map<Key, T, Hash, KeyEqual, Alloc>;
template <class Key, class Hash = hash<Key>, class KeyEqual = std::equal_to<Key>,
          class Alloc = std::allocator<Key>>
using set = std::unordered_set<Key, Hash, KeyEqual, Alloc>;
} // namespace ankerl::unordered_dense
#endif
