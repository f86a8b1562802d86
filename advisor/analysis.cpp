#include "advisor/analysis.hpp"

namespace advisor {

std::vector<parsers::QueryFacts> extract_shape_facts(const Workload& workload,
                                                     const Catalog& catalog) {
    const parsers::QueryFactsExtractor extractor(catalog);
    std::vector<parsers::QueryFacts> facts;
    facts.reserve(workload.shapes.size());
    for (const auto& shape : workload.shapes) {
        parsers::QueryFacts shape_facts;
        if (!shape.examples.empty()) {
            shape_facts = extractor.extract(shape.examples.front().text);
        }
        if (shape.examples.empty() || shape_facts.error) {
            shape_facts = extractor.extract(shape.query);
        }
        facts.push_back(std::move(shape_facts));
    }
    return facts;
}

} // namespace advisor
