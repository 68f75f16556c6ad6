package io.ukiyoe.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The README and the tool cannot drift apart: every {@code ukiyoe ...} command line in the README's
 * tables and shell blocks names a real command and only options that command has, and every command
 * the tool has is in a table.
 */
class ReadmeCommandsTest {
    private static final Pattern CODE = Pattern.compile("`(ukiyoe(?: [^`]*)?)`");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z0-9][a-z0-9-]*|-[a-zA-Z])(?![\\w-])");

    static List<String> tableCommandLines() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
            if (line.startsWith("./ukiyoe ")) {            // a copy-paste line of a shell block
                String cmd = line.substring(2);
                out.add(cmd.contains(" #") ? cmd.substring(0, cmd.indexOf(" #")).strip() : cmd.strip());
            } else if (line.startsWith("|")) {
                Matcher m = CODE.matcher(line);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /** The deepest command a command line names: the words after 'ukiyoe' that are subcommands. */
    static CommandSpec commandOf(CommandSpec root, String[] words) {
        CommandSpec c = root;
        for (int i = 1; i < words.length; i++) {
            CommandLine sub = c.subcommands().get(words[i]);
            if (sub == null) {
                break;
            }
            c = sub.getCommandSpec();
        }
        return c;
    }

    @Test
    void everyTableCommandLineMatchesTheToolAndEveryCommandIsDocumented() throws IOException {
        CommandSpec root = new CommandLine(new Main()).getCommandSpec();
        List<String> lines = tableCommandLines();
        assertTrue(lines.size() > 20, "the README's command table was not found: " + lines.size() + " lines");
        List<String> problems = new ArrayList<>();
        Set<String> documented = new LinkedHashSet<>();
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            CommandSpec cmd = commandOf(root, words);
            documented.add(cmd.qualifiedName());
            Matcher m = OPTION.matcher(line);
            while (m.find()) {
                String opt = m.group(1);
                if (cmd.findOption(opt) == null && root.findOption(opt) == null) {
                    problems.add("'" + line + "': " + cmd.qualifiedName() + " has no option " + opt);
                }
            }
        }
        for (CommandSpec leaf : leaves(root)) {
            if (!documented.contains(leaf.qualifiedName())) {
                problems.add(leaf.qualifiedName() + " is not in the README's command table");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static List<CommandSpec> leaves(CommandSpec c) {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandLine sub : new LinkedHashSet<>(c.subcommands().values())) {
            CommandSpec s = sub.getCommandSpec();
            if (s.userObject() instanceof CommandLine.HelpCommand) {
                continue;
            }
            if (s.subcommands().isEmpty()) {
                out.add(s);
            } else {
                out.addAll(leaves(s));
            }
        }
        return out;
    }
}
