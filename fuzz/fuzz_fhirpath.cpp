// libFuzzer harness: FHIRPath expressions (model/fhirpath.hpp).
//
// Input: the expression text. It is compiled; when it compiles it is evaluated over a few fixed
// resources (choice elements, extensions, contained resources, references of every shape), and
// every selected node is read, so a dangling Node::value shows up under ASan. Must never crash,
// hang, leak or trip UBSan; compile errors must be ErrorCode::invalid.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/json.hpp"
#include "model/fhirpath.hpp"

namespace {

constexpr const char* kResources[] = {
    (R"({"resourceType":"Observation","id":"o1","meta":{"profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-pulse-oximetry"]},)"
     R"("contained":[{"resourceType":"Patient","id":"pat","name":[{"family":"Inline"}]}],)"
     R"("extension":[{"url":"http://example.org/ext","valueString":"x"},{"url":"http://example.org/num","valueInteger":3}],)"
     R"("status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],)"
     R"("code":{"coding":[{"system":"http://loinc.org","code":"8867-4"},{"system":"http://loinc.org","code":"59408-5"}],"text":"Heart rate"},)"
     R"("subject":{"reference":"#pat"},"encounter":{"reference":"Encounter/e1/_history/2"},)"
     R"("performer":[{"reference":"https://fhir.test/r4/Practitioner/pr1"},{"type":"Organization","display":"Lab"},null],)"
     R"("effectiveDateTime":"2020-01-01T10:30:00Z","issued":"2020-01-01T11:00:00.000Z",)"
     R"("valueQuantity":{"value":72.5,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"},)"
     R"("component":[{"code":{"coding":[{"code":"8480-6"}]},"valueQuantity":{"value":120}},)"
     R"({"code":{"text":"flag"},"valueBoolean":true},{"code":{},"valueCodeableConcept":{"coding":[{"code":"H"}]}}],)"
     R"("hasMember":[{"reference":"Observation/o2"}],"derivedFrom":[]})"),
    (R"({"resourceType":"Patient","id":"p1","active":true,"deceasedBoolean":false,)"
     R"("name":[{"use":"official","family":"Chalmers","given":["Peter","James"]},{"use":"usual","given":["Jim"]}],)"
     R"("telecom":[{"system":"phone","value":"(03) 5555 6473","use":"work"},{"system":"email","value":"p@example.org"}],)"
     R"("gender":"male","birthDate":"1974-12-25","_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthTime","valueDateTime":"1974-12-25T14:35:45-05:00"}]},)"
     R"("address":[{"line":["534 Erewhon St"],"city":"PleasantVille","postalCode":"3999","period":{"start":"1974-12-25"}}],)"
     R"("link":[{"other":{"reference":"Patient/p2"},"type":"seealso"}],"generalPractitioner":[{"reference":"Organization/1"}]})"),
    (R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"b1"}},)"
     R"({"resource":{"resourceType":"Composition","id":"c","subject":{"reference":"Patient/b1"}}}]})"),
    (R"({"resourceType":"Basic","code":[1,2,"x",{"a":[[]]},null,true,1e308,-0.0,{}]})"),
};

std::vector<base::Json>* g_resources = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_resources = new std::vector<base::Json>();
  for (const char* text : kResources) {
    auto json = base::parse_json(text);
    if (!json) {
      std::fprintf(stderr, "fuzz_fhirpath: bad fixed resource: %s\n", json.error().message.c_str());
      std::abort();
    }
    g_resources->push_back(std::move(*json));
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto expr = model::fhirpath::compile(text);
  if (!expr) {
    if (expr.error().code != base::ErrorCode::invalid) {
      std::fprintf(stderr, "fuzz_fhirpath: compile failed with %s: %s\n", base::to_string(expr.error().code),
                   expr.error().message.c_str());
      std::abort();
    }
    return 0;
  }
  std::size_t sink = 0;
  for (const auto& resource : *g_resources) {
    const auto nodes = model::fhirpath::evaluate(**expr, resource);
    for (const auto& node : nodes) {
      if (!node.value) {
        std::fprintf(stderr, "fuzz_fhirpath: evaluate returned a null node\n");
        std::abort();
      }
      // Touch the node: reads freed or wild memory under ASan.
      sink += static_cast<std::size_t>(node.value->type()) + node.value->size() + node.type.size();
      if (node.value->is_string()) sink += node.value->get_ref<const std::string&>().size();
    }
  }
  // Keep the reads.
  volatile std::size_t keep = sink;
  (void)keep;
  return 0;
}
