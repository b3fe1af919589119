<?xml version="1.0" encoding="UTF-8"?>
<!-- SVRL (the schematron report) to text: one line per failed assertion,
     "<assert id> <location>: <message>". Nothing when the document passed. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/">
    <xsl:for-each select="//svrl:failed-assert | //svrl:successful-report">
      <xsl:value-of select="@id"/>
      <xsl:text> </xsl:text>
      <xsl:value-of select="@location"/>
      <xsl:text>: </xsl:text>
      <xsl:value-of select="normalize-space(svrl:text)"/>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
