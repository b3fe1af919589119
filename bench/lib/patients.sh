# shellcheck shell=bash
# Synthetic US Core 3.1.1-style Patient resources for the benchmarks: deterministic (seeded
# $RANDOM), about 1.6-1.9 KB of compact JSON each once the server has added meta.versionId and
# meta.lastUpdated. Sourced by bench/read.sh; needs only bash.

_pt_family=(Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
  Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez
  Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores)
_pt_given_f=(Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty
  Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah)
_pt_given_m=(James Robert John Michael David William Richard Joseph Thomas Charles Christopher Daniel
  Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy)
_pt_street=("Main St" "Oak Ave" "Pine St" "Maple Ave" "Cedar Ln" "Elm St" "Washington Blvd" "Lake Dr"
  "Hillcrest Rd" "Park Ave" "Sunset Blvd" "Highland Ave" "Church St" "Mill Rd" "River Rd")
# city|district|state|zip|area code
_pt_place=("Boston|Suffolk County|MA|02118|617" "Worcester|Worcester County|MA|01608|508"
  "Springfield|Hampden County|MA|01103|413" "Hartford|Hartford County|CT|06103|860"
  "Providence|Providence County|RI|02903|401" "Albany|Albany County|NY|12207|518"
  "Portland|Cumberland County|ME|04101|207" "Burlington|Chittenden County|VT|05401|802"
  "Manchester|Hillsborough County|NH|03101|603" "Newark|Essex County|NJ|07102|973")
# OMB race code|display
_pt_race=("2106-3|White" "2054-5|Black or African American" "2028-9|Asian"
  "1002-5|American Indian or Alaska Native" "2076-8|Native Hawaiian or Other Pacific Islander")
_pt_marital=("M|Married" "S|Never Married" "D|Divorced" "W|Widowed")
_pt_lang=("en-US|English (United States)|English" "es|Spanish|Spanish" "zh|Chinese|Chinese"
  "vi|Vietnamese|Vietnamese" "pt|Portuguese|Portuguese")

_pt_pick() {  # _pt_pick ARRAY_NAME -> element in $REPLY
  local -n _arr=$1
  REPLY=${_arr[RANDOM % ${#_arr[@]}]}
}

# patient_json ID INDEX: prints one compact Patient resource on stdout.
patient_json() {
  local id=$1 i=$2 gender sex prefix given given2 family street city district state zip area
  local race_code race_display eth_code eth_display mcode mdisplay lcode ldisplay ltext
  if ((RANDOM % 2)); then
    gender=female sex=F prefix=Ms.; _pt_pick _pt_given_f; given=$REPLY; _pt_pick _pt_given_f; given2=$REPLY
  else
    gender=male sex=M prefix=Mr.; _pt_pick _pt_given_m; given=$REPLY; _pt_pick _pt_given_m; given2=$REPLY
  fi
  _pt_pick _pt_family; family=$REPLY
  _pt_pick _pt_street; street="$((RANDOM % 9000 + 100)) $REPLY"
  _pt_pick _pt_place; IFS='|' read -r city district state zip area <<<"$REPLY"
  _pt_pick _pt_race; IFS='|' read -r race_code race_display <<<"$REPLY"
  if ((RANDOM % 5 == 0)); then
    eth_code=2135-2 eth_display="Hispanic or Latino"
  else
    eth_code=2186-5 eth_display="Not Hispanic or Latino"
  fi
  _pt_pick _pt_marital; IFS='|' read -r mcode mdisplay <<<"$REPLY"
  _pt_pick _pt_lang; IFS='|' read -r lcode ldisplay ltext <<<"$REPLY"
  local birth mrn ssn phone1
  printf -v birth '%04d-%02d-%02d' $((1930 + RANDOM % 90)) $((1 + RANDOM % 12)) $((1 + RANDOM % 28))
  printf -v mrn 'MRN%08d' $((i * 7919 % 100000000))
  printf -v ssn '999-%02d-%04d' $((RANDOM % 100)) $((RANDOM % 10000))
  printf -v phone1 '(%s) 555-%04d' "$area" $((RANDOM % 10000))
  local email="${given,,}.${family,,}${i}@example.org"
  printf '%s' \
'{"resourceType":"Patient","id":"'"$id"'",'\
'"meta":{"profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},'\
'"extension":['\
'{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race","extension":['\
'{"url":"ombCategory","valueCoding":{"system":"urn:oid:2.16.840.1.113883.6.238","code":"'"$race_code"'","display":"'"$race_display"'"}},'\
'{"url":"text","valueString":"'"$race_display"'"}]},'\
'{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity","extension":['\
'{"url":"ombCategory","valueCoding":{"system":"urn:oid:2.16.840.1.113883.6.238","code":"'"$eth_code"'","display":"'"$eth_display"'"}},'\
'{"url":"text","valueString":"'"$eth_display"'"}]},'\
'{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex","valueCode":"'"$sex"'"}],'\
'"identifier":['\
'{"use":"usual","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},'\
'"system":"http://hospital.example.org/mrn","value":"'"$mrn"'"},'\
'{"use":"official","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"SS"}]},'\
'"system":"http://hl7.org/fhir/sid/us-ssn","value":"'"$ssn"'"}],'\
'"active":true,'\
'"name":[{"use":"official","family":"'"$family"'","given":["'"$given"'","'"$given2"'"],"prefix":["'"$prefix"'"]}],'\
'"telecom":[{"system":"phone","value":"'"$phone1"'","use":"home"},'\
'{"system":"email","value":"'"$email"'"}],'\
'"gender":"'"$gender"'","birthDate":"'"$birth"'",'\
'"address":[{"use":"home","type":"physical","line":["'"$street"'","Apt '"$((RANDOM % 40 + 1))"'"],'\
'"city":"'"$city"'","district":"'"$district"'","state":"'"$state"'","postalCode":"'"$zip"'","country":"US"}],'\
'"maritalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus","code":"'"$mcode"'","display":"'"$mdisplay"'"}],"text":"'"$mdisplay"'"},'\
'"communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"'"$lcode"'","display":"'"$ldisplay"'"}],"text":"'"$ltext"'"},"preferred":true}]}'
}

# transaction_bundle FIRST LAST: a transaction Bundle that PUTs bench-pt-FIRST..LAST.
transaction_bundle() {
  local first=$1 last=$2 i id sep=''
  printf '{"resourceType":"Bundle","type":"transaction","entry":['
  for ((i = first; i <= last; i++)); do
    printf -v id 'bench-pt-%06d' "$i"
    printf '%s{"fullUrl":"urn:uuid:00000000-0000-4000-8000-%012d","resource":' "$sep" "$i"
    patient_json "$id" "$i"
    printf ',"request":{"method":"PUT","url":"Patient/%s"}}' "$id"
    sep=','
  done
  printf ']}'
}

