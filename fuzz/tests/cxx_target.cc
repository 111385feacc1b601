// SPDX-License-Identifier: Apache-2.0
// cxx_target.cc: a C++ libFuzzer target (std::string, std::vector, exceptions) for warmfork-c++.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

// Splits the input at ',' and parses each field as a number; a bad field throws.
static std::vector<long> parse(const std::string &s)
{
	std::vector<long> out;
	std::size_t at = 0;
	while (at <= s.size()) {
		std::size_t end = s.find(',', at);
		if (end == std::string::npos)
			end = s.size();
		std::string field = s.substr(at, end - at);
		if (field.empty() || field.find_first_not_of("0123456789") != std::string::npos)
			throw std::invalid_argument("bad field '" + field + "'");
		out.push_back(std::stol(field.substr(0, 9)));
		at = end + 1;
	}
	return out;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size)
{
	std::string s(reinterpret_cast<const char *>(data), size);
	std::vector<long> v;
	try {
		v = parse(s);
	} catch (const std::invalid_argument &e) {
		if (s == "THROW")
			std::fprintf(stderr, "cxx_target: caught: %s\n", e.what());
		return 0;
	}
	// The planted bug: a 5-field input "1,2,3,4,5" writes through a null pointer.
	if (v.size() == 5 && v[0] == 1 && v[1] == 2 && v[2] == 3 && v[3] == 4 && v[4] == 5)
		*static_cast<volatile int *>(nullptr) = 1;
	return 0;
}
