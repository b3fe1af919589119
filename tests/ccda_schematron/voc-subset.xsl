<?xml version="1.0" encoding="UTF-8"?>
<!-- voc.xml (every value set of the C-CDA IG, 65 MB) cut down to the value sets the schematron
     looks up. $oids: " oid1 oid2 ... " (spaces around each). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:voc="http://www.lantanagroup.com/voc">
  <xsl:param name="oids" select="' '"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:template match="/voc:systems">
    <xsl:copy>
      <xsl:copy-of select="voc:system[contains($oids, concat(' ', @valueSetOid, ' '))]"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
