<?xml version="1.0" encoding="UTF-8"?>
<!--
  cda.xsl: renders an HL7 CDA R2 document (a C-CDA R2.1 Continuity of Care Document from
  ccd-gen) as one readable HTML page: the document header (patient demographics, author,
  custodian, the period the document covers), a table of contents, and every section with its
  narrative block (tables, lists, paragraphs). Sections without information say so.

  XSLT 1.0 only, so browsers (through <?xml-stylesheet href="cda.xsl"?>), libxslt (ccd-gen's
  html option) and xsltproc all render it. Narrative text is copied as text, never as markup: the
  output is escaped by the XSLT processor, links are kept only for http, https and mailto, and
  no script, style attribute or event handler from the document reaches the page.

  Part of the InPracSys FHIR toolkit (share/xsl/cda.xsl, embedded in ccd-gen).
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:cda="urn:hl7-org:v3"
                xmlns:sdtc="urn:hl7-org:sdtc"
                exclude-result-prefixes="cda sdtc">

  <xsl:output method="html" encoding="UTF-8" indent="no"
              doctype-system="about:legacy-compat"/>

  <xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>
  <xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>

  <!-- ===== Page ===================================================================== -->

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="cda:ClinicalDocument"><xsl:apply-templates select="cda:ClinicalDocument"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="not-cda"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="not-cda">
    <html lang="en">
      <head><title>Not a CDA document</title></head>
      <body><p>This file is not an HL7 CDA document (no ClinicalDocument element in the urn:hl7-org:v3 namespace).</p></body>
    </html>
  </xsl:template>

  <xsl:template match="cda:ClinicalDocument">
    <xsl:variable name="patient" select="cda:recordTarget[1]/cda:patientRole"/>
    <html lang="en">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:call-template name="document-title"/>
          <xsl:if test="$patient/cda:patient/cda:name">
            <xsl:text>: </xsl:text>
            <xsl:call-template name="person-name">
              <xsl:with-param name="name" select="$patient/cda:patient/cda:name[1]"/>
            </xsl:call-template>
          </xsl:if>
        </title>
        <style>
          body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d232a; background: #fff; line-height: 1.4; }
          header.doc { background: #eef3f8; border-bottom: 1px solid #c9d6e3; padding: 1rem 2rem; }
          header.doc h1 { margin: 0 0 .5rem 0; font-size: 1.5rem; }
          main { padding: 1rem 2rem 3rem 2rem; max-width: 80rem; }
          table.header { border-collapse: collapse; margin: .25rem 0; }
          table.header th { text-align: left; vertical-align: top; padding: .15rem 1rem .15rem 0; color: #4a5868; font-weight: 600; white-space: nowrap; }
          table.header td { vertical-align: top; padding: .15rem 1.5rem .15rem 0; }
          nav.toc { margin: 1rem 0; padding: .75rem 1rem; border: 1px solid #d6dde5; background: #fafbfc; }
          nav.toc h2 { font-size: 1.1rem; margin: 0 0 .5rem 0; }
          nav.toc ol { margin: 0; padding-left: 1.5rem; columns: 2; }
          nav.toc .empty { color: #7a8694; }
          section.cda { margin-top: 1.75rem; }
          section.cda h2 { font-size: 1.2rem; border-bottom: 2px solid #c9d6e3; padding-bottom: .2rem; }
          section.cda h3 { font-size: 1.05rem; }
          section.cda .code { color: #7a8694; font-weight: normal; font-size: .85rem; }
          section.cda table { border-collapse: collapse; margin: .5rem 0; width: 100%; }
          section.cda th, section.cda td { border: 1px solid #d6dde5; padding: .3rem .5rem; text-align: left; vertical-align: top; }
          section.cda thead th { background: #eef3f8; }
          section.cda tbody tr:nth-child(even) td { background: #f8fafc; }
          p.noinfo { color: #7a8694; font-style: italic; }
          .bold { font-weight: bold; } .italics { font-style: italic; } .underline { text-decoration: underline; }
          .emphasis { font-style: italic; } .rrule { border-right: 2px solid #9aa8b6; } .lrule { border-left: 2px solid #9aa8b6; }
          .toprule { border-top: 2px solid #9aa8b6; } .botrule { border-bottom: 2px solid #9aa8b6; }
          footer.doc { margin-top: 2rem; color: #7a8694; font-size: .85rem; }
          @media print { nav.toc { display: none; } header.doc { background: none; } }
        </style>
      </head>
      <body>
        <header class="doc">
          <h1><xsl:call-template name="document-title"/></h1>
          <xsl:call-template name="header-table"/>
        </header>
        <main>
          <xsl:call-template name="toc"/>
          <xsl:apply-templates select="cda:component/cda:structuredBody/cda:component/cda:section"/>
          <xsl:apply-templates select="cda:component/cda:nonXMLBody"/>
          <footer class="doc">
            <xsl:text>Document id </xsl:text>
            <xsl:call-template name="instance-id"><xsl:with-param name="id" select="cda:id"/></xsl:call-template>
            <xsl:if test="cda:setId">
              <xsl:text>, set </xsl:text>
              <xsl:call-template name="instance-id"><xsl:with-param name="id" select="cda:setId"/></xsl:call-template>
            </xsl:if>
            <xsl:if test="cda:versionNumber/@value">
              <xsl:text>, version </xsl:text><xsl:value-of select="cda:versionNumber/@value"/>
            </xsl:if>
            <xsl:text>. Rendered by cda.xsl.</xsl:text>
          </footer>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="document-title">
    <xsl:choose>
      <xsl:when test="normalize-space(/cda:ClinicalDocument/cda:title)">
        <xsl:value-of select="normalize-space(/cda:ClinicalDocument/cda:title)"/>
      </xsl:when>
      <xsl:when test="/cda:ClinicalDocument/cda:code/@displayName">
        <xsl:value-of select="/cda:ClinicalDocument/cda:code/@displayName"/>
      </xsl:when>
      <xsl:otherwise>Clinical Document</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== Header =================================================================== -->

  <xsl:template name="header-table">
    <xsl:variable name="role" select="cda:recordTarget[1]/cda:patientRole"/>
    <xsl:variable name="pt" select="$role/cda:patient"/>
    <table class="header">
      <tr>
        <th>Patient</th>
        <td>
          <xsl:for-each select="$pt/cda:name">
            <xsl:if test="position() &gt; 1"><br/></xsl:if>
            <xsl:call-template name="person-name"><xsl:with-param name="name" select="."/></xsl:call-template>
            <xsl:if test="@use and @use != 'L'">
              <xsl:text> (</xsl:text><xsl:call-template name="name-use"><xsl:with-param name="use" select="@use"/></xsl:call-template><xsl:text>)</xsl:text>
            </xsl:if>
          </xsl:for-each>
          <xsl:if test="not($pt/cda:name)">Unknown</xsl:if>
        </td>
        <th>Patient ids</th>
        <td>
          <xsl:for-each select="$role/cda:id">
            <xsl:if test="position() &gt; 1"><br/></xsl:if>
            <xsl:call-template name="instance-id"><xsl:with-param name="id" select="."/></xsl:call-template>
          </xsl:for-each>
        </td>
      </tr>
      <tr>
        <th>Date of birth</th>
        <td><xsl:call-template name="format-ts"><xsl:with-param name="ts" select="$pt/cda:birthTime"/></xsl:call-template></td>
        <th>Sex</th>
        <td><xsl:call-template name="coded"><xsl:with-param name="code" select="$pt/cda:administrativeGenderCode"/></xsl:call-template></td>
      </tr>
      <tr>
        <th>Race</th>
        <td>
          <xsl:call-template name="coded"><xsl:with-param name="code" select="$pt/cda:raceCode"/></xsl:call-template>
          <xsl:for-each select="$pt/sdtc:raceCode">
            <xsl:text>, </xsl:text><xsl:call-template name="coded"><xsl:with-param name="code" select="."/></xsl:call-template>
          </xsl:for-each>
        </td>
        <th>Ethnicity</th>
        <td>
          <xsl:call-template name="coded"><xsl:with-param name="code" select="$pt/cda:ethnicGroupCode"/></xsl:call-template>
          <xsl:for-each select="$pt/sdtc:ethnicGroupCode">
            <xsl:text>, </xsl:text><xsl:call-template name="coded"><xsl:with-param name="code" select="."/></xsl:call-template>
          </xsl:for-each>
        </td>
      </tr>
      <tr>
        <th>Language</th>
        <td>
          <xsl:for-each select="$pt/cda:languageCommunication">
            <xsl:if test="position() &gt; 1">, </xsl:if>
            <xsl:call-template name="coded"><xsl:with-param name="code" select="cda:languageCode"/></xsl:call-template>
            <xsl:if test="cda:preferenceInd/@value = 'true'"> (preferred)</xsl:if>
          </xsl:for-each>
          <xsl:if test="not($pt/cda:languageCommunication)">Not given</xsl:if>
        </td>
        <th>Marital status</th>
        <td><xsl:call-template name="coded"><xsl:with-param name="code" select="$pt/cda:maritalStatusCode"/></xsl:call-template></td>
      </tr>
      <tr>
        <th>Address</th>
        <td>
          <xsl:for-each select="$role/cda:addr">
            <xsl:if test="position() &gt; 1"><br/></xsl:if>
            <xsl:call-template name="address"><xsl:with-param name="addr" select="."/></xsl:call-template>
          </xsl:for-each>
        </td>
        <th>Contact</th>
        <td>
          <xsl:for-each select="$role/cda:telecom">
            <xsl:if test="position() &gt; 1"><br/></xsl:if>
            <xsl:call-template name="telecom"><xsl:with-param name="telecom" select="."/></xsl:call-template>
          </xsl:for-each>
        </td>
      </tr>
      <tr>
        <th>Period covered</th>
        <td>
          <xsl:variable name="svc" select="cda:documentationOf/cda:serviceEvent/cda:effectiveTime"/>
          <xsl:call-template name="format-ts"><xsl:with-param name="ts" select="$svc/cda:low"/></xsl:call-template>
          <xsl:text> to </xsl:text>
          <xsl:call-template name="format-ts"><xsl:with-param name="ts" select="$svc/cda:high"/></xsl:call-template>
        </td>
        <th>Created</th>
        <td><xsl:call-template name="format-ts"><xsl:with-param name="ts" select="cda:effectiveTime"/></xsl:call-template></td>
      </tr>
      <tr>
        <th>Author</th>
        <td>
          <xsl:for-each select="cda:author/cda:assignedAuthor">
            <xsl:if test="position() &gt; 1"><br/></xsl:if>
            <xsl:call-template name="assigned-entity"><xsl:with-param name="entity" select="."/></xsl:call-template>
          </xsl:for-each>
        </td>
        <th>Custodian</th>
        <td>
          <xsl:variable name="org" select="cda:custodian/cda:assignedCustodian/cda:representedCustodianOrganization"/>
          <xsl:value-of select="$org/cda:name"/>
          <xsl:if test="$org/cda:addr">
            <br/><xsl:call-template name="address"><xsl:with-param name="addr" select="$org/cda:addr[1]"/></xsl:call-template>
          </xsl:if>
        </td>
      </tr>
      <xsl:if test="cda:documentationOf/cda:serviceEvent/cda:performer">
        <tr>
          <th>Care team</th>
          <td colspan="3">
            <xsl:for-each select="cda:documentationOf/cda:serviceEvent/cda:performer/cda:assignedEntity">
              <xsl:if test="position() &gt; 1"><br/></xsl:if>
              <xsl:call-template name="assigned-entity"><xsl:with-param name="entity" select="."/></xsl:call-template>
            </xsl:for-each>
          </td>
        </tr>
      </xsl:if>
      <tr>
        <th>Confidentiality</th>
        <td><xsl:call-template name="coded"><xsl:with-param name="code" select="cda:confidentialityCode"/></xsl:call-template></td>
        <th>Document language</th>
        <td><xsl:value-of select="cda:languageCode/@code"/></td>
      </tr>
    </table>
  </xsl:template>

  <xsl:template name="assigned-entity">
    <xsl:param name="entity"/>
    <xsl:choose>
      <xsl:when test="$entity/cda:assignedPerson/cda:name">
        <xsl:call-template name="person-name"><xsl:with-param name="name" select="$entity/cda:assignedPerson/cda:name[1]"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$entity/cda:assignedAuthoringDevice">
        <xsl:value-of select="$entity/cda:assignedAuthoringDevice/cda:manufacturerModelName"/>
        <xsl:if test="$entity/cda:assignedAuthoringDevice/cda:softwareName">
          <xsl:text> </xsl:text><xsl:value-of select="$entity/cda:assignedAuthoringDevice/cda:softwareName"/>
        </xsl:if>
      </xsl:when>
    </xsl:choose>
    <xsl:if test="$entity/cda:representedOrganization/cda:name">
      <xsl:if test="$entity/cda:assignedPerson/cda:name or $entity/cda:assignedAuthoringDevice">, </xsl:if>
      <xsl:value-of select="$entity/cda:representedOrganization/cda:name[1]"/>
    </xsl:if>
  </xsl:template>

  <!-- ===== Table of contents and sections ============================================ -->

  <xsl:template name="toc">
    <xsl:variable name="sections" select="cda:component/cda:structuredBody/cda:component/cda:section"/>
    <xsl:if test="$sections">
      <nav class="toc" aria-label="Sections">
        <h2>Contents</h2>
        <ol>
          <xsl:for-each select="$sections">
            <li>
              <xsl:if test="@nullFlavor"><xsl:attribute name="class">empty</xsl:attribute></xsl:if>
              <a href="#{generate-id(.)}"><xsl:call-template name="section-title"/></a>
              <xsl:if test="@nullFlavor"> (no information)</xsl:if>
            </li>
          </xsl:for-each>
        </ol>
      </nav>
    </xsl:if>
  </xsl:template>

  <xsl:template name="section-title">
    <xsl:choose>
      <xsl:when test="normalize-space(cda:title)"><xsl:value-of select="normalize-space(cda:title)"/></xsl:when>
      <xsl:when test="cda:code/@displayName"><xsl:value-of select="cda:code/@displayName"/></xsl:when>
      <xsl:otherwise>Untitled section</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="cda:section">
    <xsl:param name="depth" select="2"/>
    <section class="cda" id="{generate-id(.)}">
      <xsl:element name="{concat('h', $depth)}">
        <xsl:call-template name="section-title"/>
        <xsl:if test="cda:code/@code">
          <xsl:text> </xsl:text>
          <span class="code"><xsl:text>(LOINC </xsl:text><xsl:value-of select="cda:code/@code"/><xsl:text>)</xsl:text></span>
        </xsl:if>
      </xsl:element>
      <xsl:choose>
        <xsl:when test="cda:text and normalize-space(cda:text) != ''">
          <div class="narrative"><xsl:apply-templates select="cda:text/node()" mode="narrative"/></div>
        </xsl:when>
        <xsl:otherwise><p class="noinfo">No information.</p></xsl:otherwise>
      </xsl:choose>
      <xsl:apply-templates select="cda:component/cda:section">
        <xsl:with-param name="depth" select="3"/>
      </xsl:apply-templates>
    </section>
  </xsl:template>

  <xsl:template match="cda:nonXMLBody">
    <section class="cda">
      <h2>Attached document</h2>
      <p class="noinfo">This document's body is not structured XML (media type <xsl:value-of select="cda:text/@mediaType"/>) and is not shown here.</p>
    </section>
  </xsl:template>

  <!-- ===== Narrative block (CDA R2 section text) ===================================== -->

  <xsl:template match="text()" mode="narrative">
    <xsl:value-of select="."/>
  </xsl:template>

  <xsl:template match="cda:paragraph" mode="narrative">
    <p><xsl:call-template name="narrative-attributes"/><xsl:apply-templates mode="narrative"/></p>
  </xsl:template>

  <xsl:template match="cda:content" mode="narrative">
    <span><xsl:call-template name="narrative-attributes"/><xsl:apply-templates mode="narrative"/></span>
  </xsl:template>

  <xsl:template match="cda:br" mode="narrative"><br/></xsl:template>
  <xsl:template match="cda:sub" mode="narrative"><sub><xsl:apply-templates mode="narrative"/></sub></xsl:template>
  <xsl:template match="cda:sup" mode="narrative"><sup><xsl:apply-templates mode="narrative"/></sup></xsl:template>

  <xsl:template match="cda:caption" mode="narrative">
    <span class="bold"><xsl:apply-templates mode="narrative"/></span><xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="cda:table/cda:caption" mode="narrative">
    <caption><xsl:apply-templates mode="narrative"/></caption>
  </xsl:template>
  <xsl:template match="cda:list/cda:caption" mode="narrative">
    <p class="bold"><xsl:apply-templates mode="narrative"/></p>
  </xsl:template>

  <xsl:template match="cda:list" mode="narrative">
    <xsl:apply-templates select="cda:caption" mode="narrative"/>
    <xsl:choose>
      <xsl:when test="@listType = 'ordered'">
        <ol><xsl:call-template name="narrative-attributes"/><xsl:apply-templates select="cda:item" mode="narrative"/></ol>
      </xsl:when>
      <xsl:otherwise>
        <ul><xsl:call-template name="narrative-attributes"/><xsl:apply-templates select="cda:item" mode="narrative"/></ul>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="cda:item" mode="narrative">
    <li><xsl:call-template name="narrative-attributes"/><xsl:apply-templates mode="narrative"/></li>
  </xsl:template>

  <xsl:template match="cda:table" mode="narrative">
    <table><xsl:call-template name="narrative-attributes"/><xsl:apply-templates mode="narrative"/></table>
  </xsl:template>
  <xsl:template match="cda:thead" mode="narrative"><thead><xsl:apply-templates mode="narrative"/></thead></xsl:template>
  <xsl:template match="cda:tbody" mode="narrative"><tbody><xsl:apply-templates mode="narrative"/></tbody></xsl:template>
  <xsl:template match="cda:tfoot" mode="narrative"><tfoot><xsl:apply-templates mode="narrative"/></tfoot></xsl:template>
  <xsl:template match="cda:colgroup | cda:col" mode="narrative"/>
  <xsl:template match="cda:tr" mode="narrative">
    <tr><xsl:call-template name="narrative-attributes"/><xsl:apply-templates mode="narrative"/></tr>
  </xsl:template>
  <xsl:template match="cda:th | cda:td" mode="narrative">
    <xsl:element name="{local-name()}">
      <xsl:call-template name="narrative-attributes"/>
      <xsl:if test="@colspan and number(@colspan) = number(@colspan)"><xsl:attribute name="colspan"><xsl:value-of select="number(@colspan)"/></xsl:attribute></xsl:if>
      <xsl:if test="@rowspan and number(@rowspan) = number(@rowspan)"><xsl:attribute name="rowspan"><xsl:value-of select="number(@rowspan)"/></xsl:attribute></xsl:if>
      <xsl:apply-templates mode="narrative"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="cda:footnote" mode="narrative">
    <sup class="footnote">[<xsl:apply-templates mode="narrative"/>]</sup>
  </xsl:template>
  <xsl:template match="cda:footnoteRef" mode="narrative">
    <sup class="footnote">[<xsl:value-of select="@IDREF"/>]</sup>
  </xsl:template>

  <!-- Links only to web and mail addresses; anything else (javascript:, data:, file:) is text. -->
  <xsl:template match="cda:linkHtml" mode="narrative">
    <xsl:variable name="href" select="normalize-space(@href)"/>
    <xsl:variable name="scheme" select="translate(substring-before($href, ':'), $upper, $lower)"/>
    <xsl:choose>
      <xsl:when test="$scheme = 'http' or $scheme = 'https' or $scheme = 'mailto'">
        <a href="{$href}" rel="noopener noreferrer"><xsl:apply-templates mode="narrative"/></a>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates mode="narrative"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="cda:renderMultiMedia" mode="narrative">
    <span class="italics">[multimedia not shown]</span>
  </xsl:template>

  <!-- Unknown elements: their text only. -->
  <xsl:template match="*" mode="narrative">
    <xsl:apply-templates mode="narrative"/>
  </xsl:template>
  <xsl:template match="comment() | processing-instruction()" mode="narrative"/>

  <!-- The narrative's ID (for references from entries) and styleCode, as id and class. -->
  <xsl:template name="narrative-attributes">
    <xsl:if test="@ID"><xsl:attribute name="id"><xsl:value-of select="concat('n-', @ID)"/></xsl:attribute></xsl:if>
    <xsl:if test="@styleCode">
      <xsl:attribute name="class">
        <xsl:value-of select="translate(normalize-space(@styleCode), concat($upper, '&quot;&lt;&gt;'), $lower)"/>
      </xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- ===== Data types ================================================================ -->

  <xsl:template name="person-name">
    <xsl:param name="name"/>
    <xsl:choose>
      <xsl:when test="$name/cda:given or $name/cda:family">
        <xsl:for-each select="$name/cda:prefix"><xsl:value-of select="normalize-space(.)"/><xsl:text> </xsl:text></xsl:for-each>
        <xsl:for-each select="$name/cda:given"><xsl:value-of select="normalize-space(.)"/><xsl:text> </xsl:text></xsl:for-each>
        <xsl:for-each select="$name/cda:family">
          <xsl:if test="position() &gt; 1"><xsl:text> </xsl:text></xsl:if>
          <xsl:value-of select="normalize-space(.)"/>
        </xsl:for-each>
        <xsl:for-each select="$name/cda:suffix"><xsl:text>, </xsl:text><xsl:value-of select="normalize-space(.)"/></xsl:for-each>
      </xsl:when>
      <xsl:when test="normalize-space($name)"><xsl:value-of select="normalize-space($name)"/></xsl:when>
      <xsl:otherwise>Unknown</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="name-use">
    <xsl:param name="use"/>
    <xsl:choose>
      <xsl:when test="$use = 'P'">other name</xsl:when>
      <xsl:when test="$use = 'C'">license</xsl:when>
      <xsl:when test="$use = 'OR'">official record</xsl:when>
      <xsl:when test="contains($use, 'SRCH')">search</xsl:when>
      <xsl:otherwise><xsl:value-of select="$use"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="address">
    <xsl:param name="addr"/>
    <xsl:choose>
      <xsl:when test="$addr/@nullFlavor">Not given</xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="$addr/cda:streetAddressLine">
          <xsl:value-of select="normalize-space(.)"/><xsl:text>, </xsl:text>
        </xsl:for-each>
        <xsl:value-of select="normalize-space($addr/cda:city)"/>
        <xsl:if test="$addr/cda:state">
          <xsl:text>, </xsl:text><xsl:value-of select="normalize-space($addr/cda:state)"/>
        </xsl:if>
        <xsl:if test="$addr/cda:postalCode">
          <xsl:text> </xsl:text><xsl:value-of select="normalize-space($addr/cda:postalCode)"/>
        </xsl:if>
        <xsl:if test="$addr/cda:country and normalize-space($addr/cda:country) != 'US'">
          <xsl:text>, </xsl:text><xsl:value-of select="normalize-space($addr/cda:country)"/>
        </xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="telecom">
    <xsl:param name="telecom"/>
    <xsl:variable name="v" select="$telecom/@value"/>
    <xsl:choose>
      <xsl:when test="$telecom/@nullFlavor">Not given</xsl:when>
      <xsl:when test="starts-with($v, 'tel:')"><xsl:value-of select="substring-after($v, 'tel:')"/></xsl:when>
      <xsl:when test="starts-with($v, 'mailto:')"><xsl:value-of select="substring-after($v, 'mailto:')"/></xsl:when>
      <xsl:when test="starts-with($v, 'fax:')"><xsl:value-of select="substring-after($v, 'fax:')"/> (fax)</xsl:when>
      <xsl:otherwise><xsl:value-of select="$v"/></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$telecom/@use">
      <xsl:text> (</xsl:text>
      <xsl:choose>
        <xsl:when test="$telecom/@use = 'HP'">home</xsl:when>
        <xsl:when test="$telecom/@use = 'WP'">work</xsl:when>
        <xsl:when test="$telecom/@use = 'MC'">mobile</xsl:when>
        <xsl:when test="$telecom/@use = 'H'">home</xsl:when>
        <xsl:otherwise><xsl:value-of select="$telecom/@use"/></xsl:otherwise>
      </xsl:choose>
      <xsl:text>)</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template name="coded">
    <xsl:param name="code"/>
    <xsl:choose>
      <xsl:when test="not($code)">Not given</xsl:when>
      <xsl:when test="$code/@nullFlavor">
        <xsl:choose>
          <xsl:when test="$code/@nullFlavor = 'UNK'">Unknown</xsl:when>
          <xsl:when test="$code/@nullFlavor = 'ASKU'">Asked but unknown</xsl:when>
          <xsl:when test="$code/@nullFlavor = 'NI'">No information</xsl:when>
          <xsl:when test="$code/@nullFlavor = 'NA'">Not applicable</xsl:when>
          <xsl:otherwise>Not given</xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$code/@displayName"><xsl:value-of select="$code/@displayName"/></xsl:when>
      <xsl:when test="$code/@codeSystem = '2.16.840.1.113883.5.1'">
        <xsl:choose>
          <xsl:when test="$code/@code = 'F'">Female</xsl:when>
          <xsl:when test="$code/@code = 'M'">Male</xsl:when>
          <xsl:when test="$code/@code = 'UN'">Undifferentiated</xsl:when>
          <xsl:otherwise><xsl:value-of select="$code/@code"/></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$code/@codeSystem = '2.16.840.1.113883.5.25'">
        <xsl:choose>
          <xsl:when test="$code/@code = 'N'">Normal</xsl:when>
          <xsl:when test="$code/@code = 'R'">Restricted</xsl:when>
          <xsl:when test="$code/@code = 'V'">Very restricted</xsl:when>
          <xsl:otherwise><xsl:value-of select="$code/@code"/></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$code/cda:originalText and normalize-space($code/cda:originalText)">
        <xsl:value-of select="normalize-space($code/cda:originalText)"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$code/@code"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="instance-id">
    <xsl:param name="id"/>
    <xsl:choose>
      <xsl:when test="$id/@extension">
        <xsl:value-of select="$id/@extension"/>
        <xsl:if test="$id/@root"><xsl:text> (</xsl:text><xsl:value-of select="$id/@root"/><xsl:text>)</xsl:text></xsl:if>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$id/@root"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- HL7 TS (YYYY[MM[DD[HH[MM[SS[.S]]]]]][+/-ZZZZ]) as "YYYY-MM-DD HH:MM +ZZZZ"; the value of
       a TS or IVL_TS element ($ts/@value, else its low). -->
  <xsl:template name="format-ts">
    <xsl:param name="ts"/>
    <xsl:variable name="v">
      <xsl:choose>
        <xsl:when test="$ts/@value"><xsl:value-of select="$ts/@value"/></xsl:when>
        <xsl:when test="$ts/cda:low/@value"><xsl:value-of select="$ts/cda:low/@value"/></xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="zone">
      <xsl:choose>
        <xsl:when test="contains($v, '+')"><xsl:value-of select="concat('+', substring-after($v, '+'))"/></xsl:when>
        <xsl:when test="contains($v, '-')"><xsl:value-of select="concat('-', substring-after($v, '-'))"/></xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="d" select="substring($v, 1, string-length($v) - string-length($zone))"/>
    <xsl:choose>
      <xsl:when test="string-length($d) &lt; 4">
        <xsl:choose>
          <xsl:when test="$ts/@nullFlavor = 'UNK'">Unknown</xsl:when>
          <xsl:otherwise>Not given</xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="substring($d, 1, 4)"/>
        <xsl:if test="string-length($d) &gt;= 6"><xsl:value-of select="concat('-', substring($d, 5, 2))"/></xsl:if>
        <xsl:if test="string-length($d) &gt;= 8"><xsl:value-of select="concat('-', substring($d, 7, 2))"/></xsl:if>
        <xsl:if test="string-length($d) &gt;= 12">
          <xsl:value-of select="concat(' ', substring($d, 9, 2), ':', substring($d, 11, 2))"/>
          <xsl:if test="$zone != ''"><xsl:value-of select="concat(' ', $zone)"/></xsl:if>
        </xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
