package io.cordon.itests;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The versions a pom's dependencyManagement names, {@code ${…}} resolved from its own properties. */
final class PomVersions {

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    private PomVersions() {
    }

    /** groupId:artifactId → version. */
    static Map<String, String> managed(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(pom.toFile());
        Element project = doc.getDocumentElement();
        Map<String, String> properties = new HashMap<>();
        properties.put("project.version", text(project, "version"));
        Element props = child(project, "properties");
        if (props != null) {
            NodeList list = props.getChildNodes();
            for (int i = 0; i < list.getLength(); i++) {
                if (list.item(i) instanceof Element e) {
                    properties.put(e.getTagName(), e.getTextContent().strip());
                }
            }
        }
        Map<String, String> versions = new HashMap<>();
        NodeList dependencies = child(child(project, "dependencyManagement"), "dependencies").getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            versions.put(text(d, "groupId") + ":" + text(d, "artifactId"), resolve(text(d, "version"), properties));
        }
        return versions;
    }

    private static String resolve(String value, Map<String, String> properties) {
        Matcher m = PROPERTY.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(properties.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(out).toString();
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().strip();
    }
}
