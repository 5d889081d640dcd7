// One lint configuration for the whole repository: `npm run lint` (CI runs it before the tests).
import js from "@eslint/js";
import comments from "@eslint-community/eslint-plugin-eslint-comments/configs";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      ".data/**",
      "bench-results/**",
      "test-output/**",
      "gateway/dashboard/**",
      "app/dist/**",
      "app/src/generated/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  comments.recommended,
  {
    files: ["**/*.ts", "**/*.mts"],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["app/vite.config.ts"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // A double cast throws away what the compiler knows: say why beside it (eslint-disable-next-line ... -- why).
      "no-restricted-syntax": [
        "error",
        {
          selector: "TSAsExpression > TSAsExpression[typeAnnotation.type='TSUnknownKeyword']",
          message:
            "`as unknown as` needs a comment saying why: // eslint-disable-next-line no-restricted-syntax -- <why>",
        },
        {
          selector: "TSAsExpression[typeAnnotation.type='TSNeverKeyword']",
          message: "`as never` needs a comment saying why: // eslint-disable-next-line no-restricted-syntax -- <why>",
        },
      ],
      "@eslint-community/eslint-comments/require-description": ["error", { ignore: [] }],
      "max-lines-per-function": ["warn", { max: 70, skipBlankLines: true, skipComments: true }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unsafe-function-type": "error",
    },
  },
  {
    files: ["app/public/sw.js"],
    languageOptions: {
      globals: { self: "readonly", caches: "readonly", fetch: "readonly", URL: "readonly", Response: "readonly" },
    },
  },
  {
    // A test's describe block and a migration's DDL read top to bottom; length there is not a smell.
    files: ["**/test/**", "tests/**", "**/migrations/**"],
    rules: { "max-lines-per-function": "off" },
  },
);
